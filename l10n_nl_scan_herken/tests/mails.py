"""Real mails, built with the standard library as mail programs send them."""

from email.message import EmailMessage
from email.utils import make_msgid


def invoice_mail(
    files=(),
    subject="Factuur",
    body="Zie bijlage.",
    html=None,
    inline_images=(),
    forwarded=None,
    message_id=None,
    sender="leverancier@example.com",
):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "facturen@example.com"
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="example.com")
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
        for cid, data in inline_images:
            message.get_payload()[1].add_related(data, "image", "png", cid=f"<{cid}>", filename=f"{cid}.png")
    for name, data, maintype, subtype in files:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    if forwarded is not None:
        message.add_attachment(forwarded)
    return message


def pdf(name, data):
    return (name, data, "application", "pdf")


def png(name, data):
    return (name, data, "image", "png")


def xml(name, data):
    return (name, data, "application", "xml")
