"""Header data of UBL (2.0/2.1, Peppol BIS 3, NLCIUS) and CII (Factur-X,
ZUGFeRD 2, XRechnung) e-invoices, for the command line and the engine's
own checks. Odoo's account_edi_ubl_cii stays the reader that makes bills;
this one only reads the header, with the same safe parser."""

from decimal import Decimal, InvalidOperation

from lxml import etree

from ..errors import DocumentError
from ..result import Field, Recognition
from .xml_safety import MAX_XML_BYTES, parse_xml

# What a party states, relative to its element: the seller's fields below
# and, for the invoice's rendering (view.py), the buyer's too.
PARTY = {
    "ubl": {
        "name": "./cac:PartyLegalEntity/cbc:RegistrationName|./cac:PartyName/cbc:Name",
        # The VAT registration only: a PartyTaxScheme of another scheme holds a
        # tax number (the German Steuernummer, scheme FC) or a local id.
        "vat": "./cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID)='VAT' or not(cac:TaxScheme/cbc:ID)]"
        "/cbc:CompanyID",
        "kvk": ".//*[@schemeID='0106']",
    },
    "cii": {
        "name": "./ram:Name",
        # VA is the VAT number; FC, the German Steuernummer, is no VAT number.
        "vat": "./ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']",
        "kvk": ".//ram:ID[@schemeID='0106']",
    },
}
SELLER = {"ubl": "./cac:AccountingSupplierParty/cac:Party", "cii": ".//ram:SellerTradeParty"}


def under(element_path, path):
    """``path`` (relative, alternatives joined by |) made relative to the
    element ``element_path`` leads to."""
    return "|".join(element_path + alternative[1:] for alternative in path.split("|"))


UBL = {
    "invoice_number": "./cbc:ID",
    "invoice_date": "./cbc:IssueDate",
    "due_date": "./cbc:DueDate|./cac:PaymentMeans/cbc:PaymentDueDate",
    "currency": "./cbc:DocumentCurrencyCode",
    "type_code": "./cbc:InvoiceTypeCode|./cbc:CreditNoteTypeCode",
    "supplier_name": under(SELLER["ubl"], PARTY["ubl"]["name"]),
    "supplier_vat": under(SELLER["ubl"], PARTY["ubl"]["vat"]),
    "supplier_kvk": under(SELLER["ubl"], PARTY["ubl"]["kvk"]),
    "supplier_iban": "./cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID",
    "payment_reference": "./cac:PaymentMeans/cbc:PaymentID",
    "purchase_order": "./cac:OrderReference/cbc:ID",
    "packing_slip": "./cac:DespatchDocumentReference/cbc:ID",
    "amount_untaxed": "./cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount",
    "amount_total": "./cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount",
    "amount_tax": "./cac:TaxTotal/cbc:TaxAmount",
    "tax_subtotals": "./cac:TaxTotal/cac:TaxSubtotal",
    "tax_rate": ".//cbc:Percent",
    "tax_base": "./cbc:TaxableAmount",
    "tax_amount": "./cbc:TaxAmount",
}
CII = {
    "invoice_number": "./rsm:ExchangedDocument/ram:ID",
    "invoice_date": "./rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString",
    "due_date": ".//ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString",
    "currency": ".//ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode",
    "type_code": "./rsm:ExchangedDocument/ram:TypeCode",
    "supplier_name": under(SELLER["cii"], PARTY["cii"]["name"]),
    "supplier_vat": under(SELLER["cii"], PARTY["cii"]["vat"]),
    "supplier_kvk": under(SELLER["cii"], PARTY["cii"]["kvk"]),
    "supplier_iban": ".//ram:PayeePartyCreditorFinancialAccount/ram:IBANID",
    "payment_reference": ".//ram:ApplicableHeaderTradeSettlement/ram:PaymentReference",
    "purchase_order": ".//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID",
    "packing_slip": ".//ram:DespatchAdviceReferencedDocument/ram:IssuerAssignedID",
    "amount_untaxed": ".//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxBasisTotalAmount",
    "amount_total": ".//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount",
    "amount_tax": ".//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount",
    "tax_subtotals": ".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax",
    "tax_rate": "./ram:RateApplicablePercent",
    "tax_base": "./ram:BasisAmount",
    "tax_amount": "./ram:CalculatedAmount",
}


def local_path(path):
    """A namespace-free XPath (prefixes dropped): ZUGFeRD 1 uses other
    namespace versions. Alternatives may be joined by |; a predicate must not
    hold a path."""
    if "|" in path:
        return "|".join(local_path(alternative) for alternative in path.split("|"))
    steps = []
    for step in path.split("/"):
        if step in (".", ""):
            steps.append(step)
        else:
            name, _sep, predicate = step.partition("[")
            name = name.rpartition(":")[2]
            steps.append(f"*[local-name()='{name}']" + (f"[{predicate}" if predicate else ""))
    return "/".join(steps)


_ZF1_SETTLEMENT = ".//ApplicableSupplyChainTradeSettlement"
ZUGFERD1 = {
    "invoice_number": local_path("./HeaderExchangedDocument/ID"),
    "invoice_date": local_path("./HeaderExchangedDocument/IssueDateTime/DateTimeString"),
    "due_date": local_path(f"{_ZF1_SETTLEMENT}/SpecifiedTradePaymentTerms/DueDateDateTime/DateTimeString"),
    "currency": local_path(f"{_ZF1_SETTLEMENT}/InvoiceCurrencyCode"),
    "type_code": local_path("./HeaderExchangedDocument/TypeCode"),
    "supplier_name": local_path(".//SellerTradeParty/Name"),
    "supplier_vat": local_path(".//SellerTradeParty/SpecifiedTaxRegistration/ID[@schemeID='VA']"),
    "supplier_kvk": local_path(".//SellerTradeParty//ID[@schemeID='0106']"),
    "supplier_iban": local_path(".//PayeePartyCreditorFinancialAccount/IBANID"),
    "payment_reference": local_path(f"{_ZF1_SETTLEMENT}/PaymentReference"),
    "purchase_order": local_path(".//BuyerOrderReferencedDocument/ID"),
    "packing_slip": local_path(".//DeliveryNoteReferencedDocument/ID"),
    "amount_untaxed": local_path(f"{_ZF1_SETTLEMENT}/SpecifiedTradeSettlementMonetarySummation/TaxBasisTotalAmount"),
    "amount_total": local_path(f"{_ZF1_SETTLEMENT}/SpecifiedTradeSettlementMonetarySummation/GrandTotalAmount"),
    "amount_tax": local_path(f"{_ZF1_SETTLEMENT}/SpecifiedTradeSettlementMonetarySummation/TaxTotalAmount"),
    "tax_subtotals": local_path(f"{_ZF1_SETTLEMENT}/ApplicableTradeTax"),
    "tax_rate": local_path("./ApplicablePercent"),
    "tax_base": local_path("./BasisAmount"),
    "tax_amount": local_path("./CalculatedAmount"),
}
PATHS = {"ubl": UBL, "cii": CII, "zugferd1": ZUGFERD1}
NAMESPACES = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
CREDIT_CODES = {"381", "261", "262", "396", "532"}
# An e-invoice with more lines than this is read from its header and VAT
# breakdown: Odoo's decoder takes about 13 ms a line, so 10,000 lines would
# hold a worker for minutes.
MAX_EINVOICE_LINES = 500
# No invoice states an amount, quantity or rate this large; NaN and Infinity
# are no numbers at all. Either would reach the database as an error.
MAX_ABS_NUMBER = Decimal("1e12")
NUMERIC_SUFFIXES = ("Amount", "Quantity", "Percent", "Numeric")


def kind_of(root):
    local = root.tag.rsplit("}", 1)[-1]
    if local in ("Invoice", "CreditNote", "SelfBilledInvoice", "SelfBilledCreditNote"):
        return "ubl"
    if local == "CrossIndustryInvoice":
        return "cii"
    if local == "CrossIndustryDocument":
        return "zugferd1"
    return None


def parse_einvoice(data, max_bytes=MAX_XML_BYTES):
    """(root, kind) of an e-invoice XML, parsed safely; DocumentError says
    why a file is refused (hostile, not well-formed, not an e-invoice)."""
    root = parse_xml(data, max_bytes)
    kind = kind_of(root)
    if kind is None:
        raise DocumentError("not_einvoice")
    return root, kind


def declared_credit_note(root, kind):
    """Whether the document calls itself a credit note (its root or type code)."""
    return root.tag.endswith("CreditNote") or first_text(root, PATHS[kind]["type_code"]) in CREDIT_CODES


def first_text(root, path):
    found = root.xpath(path, namespaces=NAMESPACES)
    return found[0].text.strip() if found and found[0].text and found[0].text.strip() else None


def _amount(text):
    try:
        return Decimal(text) if text is not None else None
    except InvalidOperation:
        return None


def iso_date(text):
    if not text:
        return None
    digits = text.replace("-", "")
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}" if len(digits) >= 8 and digits[:8].isdigit() else None


def recognize_xml(data, name="", source=None, max_bytes=MAX_XML_BYTES):
    """A Recognition from an e-invoice XML; errors (hostile, not an
    e-invoice) come back in ``error``."""
    recognition = Recognition(file=name)
    try:
        root, kind = parse_einvoice(data, max_bytes)
        check_numbers(root)
    except DocumentError as exc:
        return recognition.fail(exc.code, **exc.params)
    paths = PATHS[kind]
    recognition.source = source or ("ubl" if kind == "ubl" else "cii")
    credit_note = declared_credit_note(root, kind)
    currency = first_text(root, paths["currency"])
    values = {
        key: first_text(root, paths[key])
        for key in (
            "invoice_number",
            "currency",
            "supplier_name",
            "supplier_vat",
            "supplier_kvk",
            "supplier_iban",
            "payment_reference",
            "purchase_order",
            "packing_slip",
        )
    }
    values["invoice_date"] = iso_date(first_text(root, paths["invoice_date"]))
    values["due_date"] = iso_date(first_text(root, paths["due_date"]))
    if values["supplier_iban"]:
        values["supplier_iban"] = values["supplier_iban"].replace(" ", "").upper()
    amounts = _header_amounts(root, paths, currency)
    breakdown = _tax_breakdown(root, paths)
    if amounts["amount_tax"] is None and breakdown:
        # BT-110 is optional in CII: the VAT breakdown's amounts are then the VAT.
        amounts["amount_tax"] = sum(tax for _rate, _base, tax in breakdown)
    # Credit notes carry negative amounts. A credit note states positive ones
    # (some wrongly negative), so they are turned; an invoice's amounts are
    # kept as stated, and an invoice whose untaxed amount is negative is a
    # credit note already signed as one (Odoo's _get_import_document_amount_sign
    # decides the same), a VAT rate charged within it staying positive.
    signed = (lambda amount: -abs(amount)) if credit_note else (lambda amount: amount)
    values.update({key: float(signed(amount)) if amount is not None else None for key, amount in amounts.items()})
    if values["amount_untaxed"] is None and values["amount_total"] is not None and values["amount_tax"] is not None:
        # ZUGFeRD 1 BASIC may state only the line total, the VAT and the grand total.
        values["amount_untaxed"] = float(Decimal(str(values["amount_total"])) - Decimal(str(values["amount_tax"])))
    values["tax_lines"] = [
        {"rate": float(rate), "base": float(signed(base)), "amount": float(signed(tax))}
        for rate, base, tax in breakdown
        if rate is not None and base is not None
    ]
    negative = not credit_note and _is_negative(values)
    _read_lines(recognition, root, kind)
    values["document_type"] = "credit_note" if credit_note or negative else "invoice"
    recognition.fields = {key: Field(value, 1.0) for key, value in values.items() if value not in (None, [])}
    recognition.score = 100
    return recognition


def _header_amounts(root, paths, currency):
    """{amount_untaxed, amount_total, amount_tax: Decimal or None} as the
    XML states them, in the invoice's currency where it states two."""
    return {
        key: _amount(amount_text(root, paths[key], currency))
        for key in ("amount_untaxed", "amount_total", "amount_tax")
    }


def amount_text(root, path, currency):
    """The amount at ``path`` as the XML prints it, in the invoice's
    currency where it states two (UBL's VAT total in the accounting currency)."""
    nodes = root.xpath(path, namespaces=NAMESPACES)
    chosen = next((n for n in nodes if n.get("currencyID") in (None, currency)), nodes[0] if nodes else None)
    return chosen.text.strip() if chosen is not None and chosen.text and chosen.text.strip() else None


def _tax_breakdown(root, paths):
    """[(rate, base, VAT)] of the VAT breakdown as the XML states it; a
    missing VAT amount is 0, a missing rate or base None."""
    breakdown = []
    for node in root.xpath(paths["tax_subtotals"], namespaces=NAMESPACES):
        rate, base, tax = (_amount(first_text(node, paths[k])) for k in ("tax_rate", "tax_base", "tax_amount"))
        breakdown.append((rate, base, tax or Decimal(0)))
    return breakdown


def _is_negative(values):
    """Whether the document's untaxed amount (else its total) is below zero;
    a negative amount to pay alone (prepaid more than the total) is not."""
    amount = values["amount_untaxed"] if values["amount_untaxed"] is not None else values["amount_total"]
    return amount is not None and amount < 0


def _read_lines(recognition, root, kind):
    lines = invoice_lines(root, kind, MAX_EINVOICE_LINES + 1)
    if len(lines) <= MAX_EINVOICE_LINES:
        recognition.lines = lines
        return
    count = len(root.xpath(LINE_PATHS[kind][0], namespaces=NAMESPACES))
    recognition.warn("lines_skipped", count=count, limit=MAX_EINVOICE_LINES)


def check_numbers(root):
    """Refuse an e-invoice stating an amount, quantity or rate that is no
    finite number or is absurdly large, naming the element."""
    for element in root.iter("{*}*"):
        name = etree.QName(element).localname
        if not name.endswith(NUMERIC_SUFFIXES) or not element.text or not element.text.strip():
            continue
        text = element.text.strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            continue  # not a number at all: Odoo's decoder fails on it and the header fallback takes over
        if not number.is_finite() or abs(number) >= MAX_ABS_NUMBER:
            raise DocumentError("unusable_amount", name=name, text=text[:40])


LINE_PATHS = {
    "ubl": (
        "./cac:InvoiceLine|./cac:CreditNoteLine",
        ("./cac:Item/cac:SellersItemIdentification/cbc:ID", "./cac:Item/cac:StandardItemIdentification/cbc:ID"),
        "./cbc:LineExtensionAmount",
        "./cac:Item/cbc:Name",
    ),
    "cii": (
        "./rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem",
        ("./ram:SpecifiedTradeProduct/ram:SellerAssignedID", "./ram:SpecifiedTradeProduct/ram:GlobalID"),
        ".//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
        "./ram:SpecifiedTradeProduct/ram:Name",
    ),
}


# The same codes as ElementTree paths, for a single line element of either syntax.
LINE_CODE_PATHS = (
    "./{*}Item/{*}SellersItemIdentification/{*}ID",
    "./{*}SpecifiedTradeProduct/{*}SellerAssignedID",
    "./{*}Item/{*}StandardItemIdentification/{*}ID",
    "./{*}SpecifiedTradeProduct/{*}GlobalID",
)


def line_code(node):
    """The supplier's own product code of one line element, else the standard one."""
    for path in LINE_CODE_PATHS:
        text = node.findtext(path)
        if text and text.strip():
            return text.strip()
    return None


def invoice_lines(root, kind, limit=None):
    """[{code, amount, name}] per invoice line (at most ``limit``): the
    supplier's product code (its own, else the standard one), for e-invoice
    templates."""
    if kind not in LINE_PATHS:
        return []
    line_path, code_paths, amount_path, name_path = LINE_PATHS[kind]
    lines = []
    for node in root.xpath(line_path, namespaces=NAMESPACES)[:limit]:
        code = next((c for c in (first_text(node, p) for p in code_paths) if c), None)
        amount = _amount(first_text(node, amount_path))
        lines.append(
            {"code": code, "amount": float(amount) if amount is not None else None, "name": first_text(node, name_path)}
        )
    return lines
