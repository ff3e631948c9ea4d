"""Small Peppol BIS Billing 3 (UBL) and Factur-X (CII) invoices for tests,
written by hand: one per case Odoo's own import gets wrong."""

from decimal import ROUND_HALF_UP, Decimal

UBL_TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
         xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
         xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>{number}</cbc:ID>
  <cbc:IssueDate>{date}</cbc:IssueDate>
  <cbc:DueDate>{due}</cbc:DueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PartyName><cbc:Name>{supplier}</cbc:Name></cac:PartyName>
    <cac:PartyTaxScheme><cbc:CompanyID>{vat}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>{supplier}</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cac:PartyLegalEntity><cbc:RegistrationName>Klant Holding B.V.</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="EUR">21.00</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="EUR">100.00</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="EUR">21.00</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">100.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">121.00</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="EUR">121.00</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="C62">1</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Onderhoud</cbc:Name>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">100.00</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
</Invoice>
"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&secret;</ID></Invoice>
"""

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&lol3;</ID></Invoice>
"""


def ubl_invoice(
    number="UBL-2026-1", date="2026-11-02", due="2026-12-02", supplier="Jansen B.V.", vat="NL000099998B57", code=None
):
    xml = UBL_TEMPLATE.format(number=number, date=date, due=due, supplier=supplier, vat=vat)
    if code:
        xml = xml.replace(
            "<cac:Item><cbc:Name>Onderhoud</cbc:Name>",
            "<cac:Item><cbc:Name>Onderhoud</cbc:Name>"
            f"<cac:SellersItemIdentification><cbc:ID>{code}</cbc:ID></cac:SellersItemIdentification>",
        )
    return xml.encode()


NS_UBL = (
    'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
    'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
    'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"'
)
CENT = Decimal("0.01")


def _money(value):
    return str(Decimal(value).quantize(CENT, ROUND_HALF_UP))


def _totals(lines, tax_amounts):
    """({rate: (base, VAT)}, untaxed, VAT): the VAT rounded per rate as
    EN 16931 does, unless the case states its own."""
    bases = {}
    for _code, _name, quantity, price, rate in lines:
        amount = (Decimal(str(quantity)) * Decimal(str(price))).quantize(CENT, ROUND_HALF_UP)
        bases[rate] = bases.get(rate, Decimal(0)) + amount
    per_rate = {
        rate: (
            base,
            Decimal(str(tax_amounts[rate]))
            if rate in tax_amounts
            else (base * Decimal(str(rate)) / 100).quantize(CENT, ROUND_HALF_UP),
        )
        for rate, base in bases.items()
    }
    return (per_rate, sum(base for base, _tax in per_rate.values()), sum(tax for _base, tax in per_rate.values()))


def ubl_document(
    number="UBL-2026-7",
    date="2026-11-02",
    supplier="Jansen B.V.",
    vat="NL000099998B57",
    lines=(("ART-1", "Onderhoud", 1, "100.00", 21),),
    tax_amounts=None,
    rounding=None,
    endpoint=None,
    party_name=True,
):
    """A UBL invoice: ``lines`` are (code, name, quantity, unit price, VAT
    rate); ``tax_amounts`` {rate: VAT} overrides the per-rate VAT;
    ``rounding`` a payable rounding; ``endpoint`` (scheme, id) the
    supplier's electronic address; without ``party_name`` the supplier is
    named only by its registration name (and its contact person)."""
    per_rate, untaxed, tax = _totals(lines, tax_amounts or {})
    payable = untaxed + tax + Decimal(str(rounding or 0))
    party_endpoint = f'<cbc:EndpointID schemeID="{endpoint[0]}">{endpoint[1]}</cbc:EndpointID>' if endpoint else ""
    subtotals = "".join(
        f'<cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">{_money(base)}</cbc:TaxableAmount>'
        f'<cbc:TaxAmount currencyID="EUR">{_money(amount)}</cbc:TaxAmount>'
        f"<cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>{rate}</cbc:Percent>"
        f"<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>"
        for rate, (base, amount) in per_rate.items()
    )
    invoice_lines = "".join(
        f"<cac:InvoiceLine><cbc:ID>{index}</cbc:ID>"
        f'<cbc:InvoicedQuantity unitCode="C62">{quantity}</cbc:InvoicedQuantity>'
        f'<cbc:LineExtensionAmount currencyID="EUR">'
        f"{_money(Decimal(str(quantity)) * Decimal(str(price)))}</cbc:LineExtensionAmount>"
        f"<cac:Item><cbc:Name>{name}</cbc:Name>"
        + (f"<cac:SellersItemIdentification><cbc:ID>{code}</cbc:ID></cac:SellersItemIdentification>" if code else "")
        + f"<cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>{rate}</cbc:Percent>"
        f"<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>"
        f'<cac:Price><cbc:PriceAmount currencyID="EUR">{price}</cbc:PriceAmount></cac:Price></cac:InvoiceLine>'
        for index, (code, name, quantity, price, rate) in enumerate(lines, 1)
    )
    party_name_node = f"<cac:PartyName><cbc:Name>{supplier}</cbc:Name></cac:PartyName>" if party_name else ""
    rounding_node = (
        f'<cbc:PayableRoundingAmount currencyID="EUR">{rounding}</cbc:PayableRoundingAmount>' if rounding else ""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice {NS_UBL}>
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>{number}</cbc:ID>
  <cbc:IssueDate>{date}</cbc:IssueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party>{party_endpoint}
    {party_name_node}
    <cac:PartyTaxScheme><cbc:CompanyID>{vat}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>{supplier}</cbc:RegistrationName></cac:PartyLegalEntity>
    <cac:Contact><cbc:Name>Piet de Contactpersoon</cbc:Name></cac:Contact>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cac:PartyLegalEntity><cbc:RegistrationName>Klant Holding B.V.</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">{_money(tax)}</cbc:TaxAmount>{subtotals}</cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">{_money(untaxed)}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">{_money(untaxed)}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">{_money(untaxed + tax)}</cbc:TaxInclusiveAmount>
    {rounding_node}<cbc:PayableAmount currencyID="EUR">{_money(payable)}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  {invoice_lines}
</Invoice>
""".encode()


def cii_document(
    number="CII-2026-7",
    type_code="380",
    date="20261102",
    supplier="Müller GmbH",
    vat="DE123456789",
    lines=(("ART-1", "Wartung", 1, "100.00", 19),),
    tax_amounts=None,
):
    """A Factur-X (EN 16931) CII invoice of the given type code."""
    per_rate, untaxed, tax = _totals(lines, tax_amounts or {})
    items = "".join(
        f"<ram:IncludedSupplyChainTradeLineItem>"
        f"<ram:AssociatedDocumentLineDocument><ram:LineID>{index}</ram:LineID></ram:AssociatedDocumentLineDocument>"
        f"<ram:SpecifiedTradeProduct><ram:SellerAssignedID>{code}</ram:SellerAssignedID>"
        f"<ram:Name>{name}</ram:Name></ram:SpecifiedTradeProduct>"
        f"<ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount>{price}"
        f"</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>"
        f'<ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">{quantity}</ram:BilledQuantity>'
        f"</ram:SpecifiedLineTradeDelivery>"
        f"<ram:SpecifiedLineTradeSettlement><ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode>"
        f"<ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>{rate}</ram:RateApplicablePercent>"
        f"</ram:ApplicableTradeTax><ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>"
        f"{_money(Decimal(str(quantity)) * Decimal(str(price)))}</ram:LineTotalAmount>"
        f"</ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement>"
        f"</ram:IncludedSupplyChainTradeLineItem>"
        for index, (code, name, quantity, price, rate) in enumerate(lines, 1)
    )
    taxes = "".join(
        f"<ram:ApplicableTradeTax><ram:CalculatedAmount>{_money(amount)}</ram:CalculatedAmount>"
        f"<ram:TypeCode>VAT</ram:TypeCode><ram:BasisAmount>{_money(base)}</ram:BasisAmount>"
        f"<ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>{rate}</ram:RateApplicablePercent>"
        f"</ram:ApplicableTradeTax>"
        for rate, (base, amount) in per_rate.items()
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
 <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>
  <ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>
 <rsm:ExchangedDocument><ram:ID>{number}</ram:ID><ram:TypeCode>{type_code}</ram:TypeCode>
  <ram:IssueDateTime><udt:DateTimeString format="102">{date}</udt:DateTimeString></ram:IssueDateTime></rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>{items}
  <ram:ApplicableHeaderTradeAgreement>
   <ram:SellerTradeParty><ram:Name>{supplier}</ram:Name>
    <ram:PostalTradeAddress><ram:CountryID>{vat[:2]}</ram:CountryID></ram:PostalTradeAddress>
    <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">{vat}</ram:ID></ram:SpecifiedTaxRegistration></ram:SellerTradeParty>
   <ram:BuyerTradeParty><ram:Name>Klant Holding B.V.</ram:Name></ram:BuyerTradeParty>
  </ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeDelivery/>
  <ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>{taxes}
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:LineTotalAmount>{_money(untaxed)}</ram:LineTotalAmount>
    <ram:TaxBasisTotalAmount>{_money(untaxed)}</ram:TaxBasisTotalAmount>
    <ram:TaxTotalAmount currencyID="EUR">{_money(tax)}</ram:TaxTotalAmount>
    <ram:GrandTotalAmount>{_money(untaxed + tax)}</ram:GrandTotalAmount>
    <ram:DuePayableAmount>{_money(untaxed + tax)}</ram:DuePayableAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
""".encode()
