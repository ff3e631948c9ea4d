import base64
import datetime

from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from ..engine.samples.fixtures import make_spec
from ..engine.samples.render import render_pdf
from .dovecot import PASSWORD, USER, Dovecot


@tagged("post_install", "-at_install")
class ScanHerkenCommon(AccountTestInvoicingCommon):
    @classmethod
    @AccountTestInvoicingCommon.setup_country("nl")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company.l10n_nl_scan_enabled = True

    @classmethod
    def company_user(cls, login, group="account.group_account_invoice", company=None):
        """A user of one company only (the test company unless given) with one accounting group."""
        company = company or cls.company
        return new_test_user(cls.env, login=login, groups=group, company_id=company.id, company_ids=[company.id])

    @classmethod
    def dutch_supplier(cls, name):
        """A Dutch supplier known by its VAT number and IBAN, as generated invoices print them."""
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "vat": "NL958224122B15",
                "country_id": cls.env.ref("base.nl").id,
                "bank_ids": [(0, 0, {"acc_number": "NL24ABNA7579902459"})],
            }
        )

    def make_bill_with_pdf(self, spec=None, data=None, name="invoice.pdf", mimetype="application/pdf"):
        """A draft bill carrying a document as its main attachment, as every
        intake door leaves it before recognition."""
        if data is None:
            data = render_pdf(spec)
        bill = self.env["account.move"].create({"move_type": "in_invoice", "company_id": self.company.id})
        bill._l10n_nl_scan_write({"l10n_nl_scan_state": "queued"})
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "datas": base64.b64encode(data),
                "mimetype": mimetype,
                "res_model": "account.move",
                "res_id": bill.id,
            }
        )
        bill.message_main_attachment_id = attachment
        return bill

    @staticmethod
    def spec(seed, **kwargs):
        return make_spec(seed, today=datetime.date.today(), **kwargs)

    def supplier_spec(self, seed, partner, **kwargs):
        """A generated invoice printed by this partner: its name, IBAN, VAT
        and KVK on the document."""
        spec = self.spec(seed, **kwargs)
        spec.long = False
        spec.supplier.update(
            name=partner.name,
            vat=partner.vat,
            kvk=partner.company_registry or spec.supplier["kvk"],
            iban=partner.bank_ids[:1].sanitized_acc_number or spec.supplier["iban"],
        )
        spec.expected.update(
            supplier_iban=spec.supplier["iban"], supplier_vat=spec.supplier["vat"], supplier_kvk=spec.supplier["kvk"]
        )
        return spec


@tagged("post_install", "-at_install")
class ScanHerkenMailboxCommon(ScanHerkenCommon):
    """A real Dovecot on 127.0.0.1 and a vendor-bills mailbox on it, emptied
    before each test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dovecot = Dovecot().start()
        cls.addClassCleanup(cls.dovecot.stop)
        cls.journal = cls.company_data["default_journal_purchase"]
        cls.server = cls.env["fetchmail.server"].create(
            {
                "name": "Inkoopfacturen",
                "server_type": "imap",
                "server": "127.0.0.1",
                "port": cls.dovecot.imap_port,
                "is_ssl": False,
                "user": USER,
                "password": PASSWORD,
                "state": "done",
                "l10n_nl_scan_journal_id": cls.journal.id,
            }
        )

    def setUp(self):
        super().setUp()
        self.dovecot.clear()
