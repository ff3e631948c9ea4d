"""An XML e-invoice as plain data for its rendering (einvoice/view.py):
the values as the XML prints them, hostile files refused as read.py
refuses them, and the QWeb template reading only keys the dict has."""

import csv
import re
from decimal import Decimal

import pytest
from engine_loader import ROOT, corpus_dir
from scan_engine.einvoice.read import MAX_EINVOICE_LINES, recognize_xml
from scan_engine.einvoice.view import invoice_view
from scan_engine.errors import DocumentError
from scan_samples.ubl import BOMB, XXE, ubl_document

UBL_NS = (
    'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
    'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"'
)

UBL_INVOICE = f"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" {UBL_NS}>
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0</cbc:CustomizationID>
  <cbc:ID>F2026-0042</cbc:ID>
  <cbc:IssueDate>2026-11-02</cbc:IssueDate>
  <cbc:DueDate>2026-12-02</cbc:DueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:Note>Levering volgens afspraak.</cbc:Note>
  <cbc:Note>Bij vragen: bel ons.</cbc:Note>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cbc:BuyerReference>Afdeling inkoop</cbc:BuyerReference>
  <cac:OrderReference><cbc:ID>PO-7781</cbc:ID></cac:OrderReference>
  <cac:AccountingSupplierParty><cac:Party>
    <cbc:EndpointID schemeID="0106">12345678</cbc:EndpointID>
    <cac:PartyName><cbc:Name>Jansen Installatie</cbc:Name></cac:PartyName>
    <cac:PostalAddress>
      <cbc:StreetName>Dorpsstraat 12</cbc:StreetName><cbc:AdditionalStreetName>Unit 3</cbc:AdditionalStreetName>
      <cbc:CityName>Utrecht</cbc:CityName><cbc:PostalZone>3512 AB</cbc:PostalZone>
      <cac:Country><cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country>
    </cac:PostalAddress>
    <cac:PartyTaxScheme><cbc:CompanyID>NL000099998B57</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>Jansen Installatie B.V.</cbc:RegistrationName><cbc:CompanyID schemeID="0106">12345678</cbc:CompanyID></cac:PartyLegalEntity>
    <cac:Contact><cbc:Telephone>030-1234567</cbc:Telephone><cbc:ElectronicMail>factuur@jansen.example</cbc:ElectronicMail></cac:Contact>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cac:PartyName><cbc:Name>Klant Holding</cbc:Name></cac:PartyName>
    <cac:PostalAddress>
      <cbc:StreetName>Kade 1</cbc:StreetName><cbc:CityName>Gent</cbc:CityName><cbc:PostalZone>9000</cbc:PostalZone>
      <cac:Country><cbc:IdentificationCode>BE</cbc:IdentificationCode></cac:Country>
    </cac:PostalAddress>
    <cac:PartyTaxScheme><cbc:CompanyID>BE0123456749</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:Contact><cbc:Name>P. Peeters</cbc:Name></cac:Contact>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:PaymentMeans>
    <cbc:PaymentMeansCode>58</cbc:PaymentMeansCode><cbc:PaymentID>1234 5678 9012 3456</cbc:PaymentID>
    <cac:PayeeFinancialAccount><cbc:ID>NL91ABNA0417164300</cbc:ID></cac:PayeeFinancialAccount>
  </cac:PaymentMeans>
  <cac:PaymentMeans>
    <cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>
    <cac:PayeeFinancialAccount><cbc:ID>NL02RABO0123456789</cbc:ID></cac:PayeeFinancialAccount>
  </cac:PaymentMeans>
  <cac:PaymentTerms><cbc:Note>Betaling binnen 30 dagen.</cbc:Note></cac:PaymentTerms>
  <cac:AllowanceCharge>
    <cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:AllowanceChargeReason>Korting</cbc:AllowanceChargeReason>
    <cbc:Amount currencyID="EUR">10.00</cbc:Amount>
    <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
  </cac:AllowanceCharge>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="EUR">25.20</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="EUR">90.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">18.90</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="EUR">70.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">6.30</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>9</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:TaxTotal><cbc:TaxAmount currencyID="USD">27.00</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="USD">171.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="USD">27.00</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">170.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">160.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">185.20</cbc:TaxInclusiveAmount>
    <cbc:AllowanceTotalAmount currencyID="EUR">10.00</cbc:AllowanceTotalAmount>
    <cbc:PrepaidAmount currencyID="EUR">50.00</cbc:PrepaidAmount>
    <cbc:PayableAmount currencyID="EUR">135.20</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode="HUR">2.5</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
    <cac:Item><cbc:Description>Monteur, 2,5 uur</cbc:Description><cbc:Name>Arbeid</cbc:Name>
      <cac:SellersItemIdentification><cbc:ID>ARB-01</cbc:ID></cac:SellersItemIdentification>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">40.00</cbc:PriceAmount><cbc:BaseQuantity unitCode="HUR">1</cbc:BaseQuantity></cac:Price>
  </cac:InvoiceLine>
  <cac:InvoiceLine>
    <cbc:ID>2</cbc:ID><cbc:InvoicedQuantity unitCode="C62">100</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">70.00</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Schroeven</cbc:Name>
      <cac:StandardItemIdentification><cbc:ID schemeID="0160">8712345678906</cbc:ID></cac:StandardItemIdentification>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>9</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">7.0000</cbc:PriceAmount><cbc:BaseQuantity unitCode="C62">10</cbc:BaseQuantity></cac:Price>
  </cac:InvoiceLine>
</Invoice>
""".encode()

UBL_CREDIT_NOTE = f"""<?xml version="1.0" encoding="UTF-8"?>
<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2" {UBL_NS}>
  <cbc:ID>CN-2026-7</cbc:ID>
  <cbc:IssueDate>2026-11-10</cbc:IssueDate>
  <cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>F2026-0042</cbc:ID></cac:InvoiceDocumentReference></cac:BillingReference>
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PostalAddress><cbc:StreetName>Dorpsstraat</cbc:StreetName><cbc:BuildingNumber>12</cbc:BuildingNumber>
      <cbc:CityName>Utrecht</cbc:CityName><cbc:PostalZone>3512 AB</cbc:PostalZone>
      <cac:Country><cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
    <cac:PartyTaxScheme><cbc:CompanyID>NL000099998B57</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>Jansen Installatie B.V.</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cac:PartyLegalEntity><cbc:RegistrationName>Klant Holding</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>
    <cac:PayeeFinancialAccount><cbc:ID>NL91ABNA0417164300</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="EUR">4.20</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="EUR">20.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">4.20</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">20.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">20.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">24.20</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="EUR">24.20</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:CreditNoteLine>
    <cbc:ID>1</cbc:ID><cbc:Note>Retour</cbc:Note><cbc:CreditedQuantity unitCode="C62">2</cbc:CreditedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">20.00</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Kraan</cbc:Name>
      <cac:SellersItemIdentification><cbc:ID>KR-9</cbc:ID></cac:SellersItemIdentification>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">10.00</cbc:PriceAmount></cac:Price>
  </cac:CreditNoteLine>
</CreditNote>
""".encode()

CII_INVOICE = b"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
 <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>
  <ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>
 <rsm:ExchangedDocument><ram:ID>RE-2026-118</ram:ID><ram:TypeCode>380</ram:TypeCode>
  <ram:IssueDateTime><udt:DateTimeString format="102">20261103</udt:DateTimeString></ram:IssueDateTime>
  <ram:IncludedNote><ram:Content>Vielen Dank f\xc3\xbcr Ihren Auftrag.</ram:Content></ram:IncludedNote>
 </rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  <ram:IncludedSupplyChainTradeLineItem>
   <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
   <ram:SpecifiedTradeProduct><ram:SellerAssignedID>W-100</ram:SellerAssignedID><ram:Name>Wartung</ram:Name>
    <ram:Description>Jahreswartung Heizung</ram:Description></ram:SpecifiedTradeProduct>
   <ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount>120.00</ram:ChargeAmount>
    </ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>
   <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">1</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
   <ram:SpecifiedLineTradeSettlement>
    <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>
     <ram:RateApplicablePercent>19</ram:RateApplicablePercent></ram:ApplicableTradeTax>
    <ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>120.00</ram:LineTotalAmount>
    </ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement>
  </ram:IncludedSupplyChainTradeLineItem>
  <ram:ApplicableHeaderTradeAgreement>
   <ram:BuyerReference>04011000-12345-34</ram:BuyerReference>
   <ram:SellerTradeParty><ram:Name>M\xc3\xbcller Haustechnik GmbH</ram:Name>
    <ram:SpecifiedLegalOrganization><ram:ID schemeID="0204">HRB 12345</ram:ID></ram:SpecifiedLegalOrganization>
    <ram:DefinedTradeContact><ram:PersonName>Anna M\xc3\xbcller</ram:PersonName>
     <ram:TelephoneUniversalCommunication><ram:CompleteNumber>+49 30 123456</ram:CompleteNumber></ram:TelephoneUniversalCommunication>
     <ram:EmailURIUniversalCommunication><ram:URIID>rechnung@mueller.example</ram:URIID></ram:EmailURIUniversalCommunication>
    </ram:DefinedTradeContact>
    <ram:PostalTradeAddress><ram:PostcodeCode>10115</ram:PostcodeCode><ram:LineOne>Hauptstra\xc3\x9fe 5</ram:LineOne>
     <ram:CityName>Berlin</ram:CityName><ram:CountryID>DE</ram:CountryID></ram:PostalTradeAddress>
    <ram:SpecifiedTaxRegistration><ram:ID schemeID="FC">201/113/40209</ram:ID></ram:SpecifiedTaxRegistration>
    <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">DE123456789</ram:ID></ram:SpecifiedTaxRegistration>
   </ram:SellerTradeParty>
   <ram:BuyerTradeParty><ram:Name>Klant Holding B.V.</ram:Name>
    <ram:PostalTradeAddress><ram:PostcodeCode>1011 AB</ram:PostcodeCode><ram:LineOne>Damrak 1</ram:LineOne>
     <ram:CityName>Amsterdam</ram:CityName><ram:CountryID>NL</ram:CountryID></ram:PostalTradeAddress>
    <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">NL000099998B57</ram:ID></ram:SpecifiedTaxRegistration>
   </ram:BuyerTradeParty>
   <ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>PO-2026-9</ram:IssuerAssignedID></ram:BuyerOrderReferencedDocument>
  </ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeDelivery><ram:ActualDeliverySupplyChainEvent><ram:OccurrenceDateTime>
   <udt:DateTimeString format="102">20261030</udt:DateTimeString></ram:OccurrenceDateTime></ram:ActualDeliverySupplyChainEvent>
  </ram:ApplicableHeaderTradeDelivery>
  <ram:ApplicableHeaderTradeSettlement>
   <ram:PaymentReference>RE-2026-118</ram:PaymentReference>
   <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>58</ram:TypeCode>
    <ram:PayeePartyCreditorFinancialAccount><ram:IBANID>DE89370400440532013000</ram:IBANID></ram:PayeePartyCreditorFinancialAccount>
   </ram:SpecifiedTradeSettlementPaymentMeans>
   <ram:ApplicableTradeTax><ram:CalculatedAmount>22.80</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>
    <ram:BasisAmount>120.00</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode>
    <ram:RateApplicablePercent>19</ram:RateApplicablePercent></ram:ApplicableTradeTax>
   <ram:SpecifiedTradePaymentTerms><ram:Description>Zahlbar innerhalb 14 Tagen.</ram:Description>
    <ram:DueDateDateTime><udt:DateTimeString format="102">20261117</udt:DateTimeString></ram:DueDateDateTime>
   </ram:SpecifiedTradePaymentTerms>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:LineTotalAmount>120.00</ram:LineTotalAmount>
    <ram:TaxBasisTotalAmount>120.00</ram:TaxBasisTotalAmount>
    <ram:TaxTotalAmount currencyID="EUR">22.80</ram:TaxTotalAmount>
    <ram:GrandTotalAmount>142.80</ram:GrandTotalAmount>
    <ram:DuePayableAmount>142.80</ram:DuePayableAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
"""


def test_ubl_invoice():
    view = invoice_view(UBL_INVOICE)
    assert {
        key: view[key]
        for key in (
            "syntax",
            "document_kind",
            "type_code",
            "number",
            "issue_date",
            "due_date",
            "currency",
            "buyer_reference",
            "order_reference",
            "payment_reference",
            "invoice_reference",
            "notes",
            "payment_terms",
        )
    } == {
        "syntax": "ubl",
        "document_kind": "invoice",
        "type_code": "380",
        "number": "F2026-0042",
        "issue_date": "2026-11-02",
        "due_date": "2026-12-02",
        "currency": "EUR",
        "buyer_reference": "Afdeling inkoop",
        "order_reference": "PO-7781",
        "payment_reference": "1234 5678 9012 3456",
        "invoice_reference": None,
        "notes": ["Levering volgens afspraak.", "Bij vragen: bel ons."],
        "payment_terms": "Betaling binnen 30 dagen.",
    }
    assert view["seller"] == {
        "name": "Jansen Installatie",
        "legal_name": "Jansen Installatie B.V.",
        "street_lines": ["Dorpsstraat 12", "Unit 3"],
        "postcode": "3512 AB",
        "city": "Utrecht",
        "country_code": "NL",
        "vat": "NL000099998B57",
        "company_id": "12345678",
        "company_id_scheme": "0106",
        "contact": None,
        "email": "factuur@jansen.example",
        "phone": "030-1234567",
        "electronic_address": "12345678",
        "ibans": ["NL91ABNA0417164300", "NL02RABO0123456789"],
    }
    buyer = view["buyer"]
    assert (
        buyer["name"],
        buyer["street_lines"],
        buyer["postcode"],
        buyer["city"],
        buyer["country_code"],
        buyer["vat"],
        buyer["contact"],
    ) == ("Klant Holding", ["Kade 1"], "9000", "Gent", "BE", "BE0123456749", "P. Peeters")
    assert "ibans" not in buyer
    assert view["lines"] == [
        {
            "id": "1",
            "code": "ARB-01",
            "name": "Arbeid",
            "description": "Monteur, 2,5 uur",
            "note": None,
            "quantity": "2.5",
            "unit_code": "HUR",
            "unit_price": "40.00",
            "price_base_quantity": None,
            "vat_rate": "21",
            "vat_category": "S",
            "amount": "100.00",
        },
        {
            "id": "2",
            "code": "8712345678906",
            "name": "Schroeven",
            "description": None,
            "note": None,
            "quantity": "100",
            "unit_code": "C62",
            "unit_price": "7.0000",
            "price_base_quantity": "10",
            "vat_rate": "9",
            "vat_category": "S",
            "amount": "70.00",
        },
    ]
    assert (view["line_count"], view["lines_truncated"]) == (2, False)
    assert view["allowance_charges"] == [{"charge": False, "reason": "Korting", "amount": "10.00", "vat_rate": "21"}]
    # The VAT repeated in the accounting currency (USD) is not the invoice's.
    assert view["vat_breakdown"] == [
        {"rate": "21", "category": "S", "base": "90.00", "vat": "18.90", "exemption_reason": None},
        {"rate": "9", "category": "S", "base": "70.00", "vat": "6.30", "exemption_reason": None},
    ]
    assert view["totals"] == {
        "line_total": "170.00",
        "allowance_total": "10.00",
        "charge_total": None,
        "untaxed": "160.00",
        "vat": "25.20",
        "total": "185.20",
        "prepaid": "50.00",
        "rounding": None,
        "payable": "135.20",
    }


def test_ubl_credit_note():
    view = invoice_view(UBL_CREDIT_NOTE)
    assert (
        view["document_kind"],
        view["type_code"],
        view["number"],
        view["issue_date"],
        view["due_date"],
        view["invoice_reference"],
    ) == ("credit_note", "381", "CN-2026-7", "2026-11-10", None, "F2026-0042")
    seller = view["seller"]
    # No PartyName: the registration name; UBL 2.0's building number joins the street.
    assert (seller["name"], seller["street_lines"], seller["vat"], seller["company_id"], seller["ibans"]) == (
        "Jansen Installatie B.V.",
        ["Dorpsstraat 12"],
        "NL000099998B57",
        None,
        ["NL91ABNA0417164300"],
    )
    assert view["lines"] == [
        {
            "id": "1",
            "code": "KR-9",
            "name": "Kraan",
            "description": None,
            "note": "Retour",
            "quantity": "2",
            "unit_code": "C62",
            "unit_price": "10.00",
            "price_base_quantity": None,
            "vat_rate": "21",
            "vat_category": "S",
            "amount": "20.00",
        }
    ]
    # Amounts as printed: a credit note states them positive.
    assert view["vat_breakdown"] == [
        {"rate": "21", "category": "S", "base": "20.00", "vat": "4.20", "exemption_reason": None}
    ]
    assert (view["totals"]["untaxed"], view["totals"]["vat"], view["totals"]["total"], view["totals"]["payable"]) == (
        "20.00",
        "4.20",
        "24.20",
        "24.20",
    )
    assert (view["buyer"]["name"], view["buyer"]["street_lines"], view["notes"], view["payment_terms"]) == (
        "Klant Holding",
        [],
        [],
        None,
    )


def test_cii_invoice():
    view = invoice_view(CII_INVOICE)
    assert {
        key: view[key]
        for key in (
            "syntax",
            "document_kind",
            "number",
            "issue_date",
            "due_date",
            "delivery_date",
            "currency",
            "buyer_reference",
            "order_reference",
            "payment_reference",
            "notes",
            "payment_terms",
        )
    } == {
        "syntax": "cii",
        "document_kind": "invoice",
        "number": "RE-2026-118",
        "issue_date": "2026-11-03",
        "due_date": "2026-11-17",
        "delivery_date": "2026-10-30",
        "currency": "EUR",
        "buyer_reference": "04011000-12345-34",
        "order_reference": "PO-2026-9",
        "payment_reference": "RE-2026-118",
        "notes": ["Vielen Dank für Ihren Auftrag."],
        "payment_terms": "Zahlbar innerhalb 14 Tagen.",
    }
    # VA is the VAT number, never the Steuernummer (FC) stated before it.
    assert view["seller"] == {
        "name": "Müller Haustechnik GmbH",
        "legal_name": "Müller Haustechnik GmbH",
        "street_lines": ["Hauptstraße 5"],
        "postcode": "10115",
        "city": "Berlin",
        "country_code": "DE",
        "vat": "DE123456789",
        "company_id": "HRB 12345",
        "company_id_scheme": "0204",
        "contact": "Anna Müller",
        "email": "rechnung@mueller.example",
        "phone": "+49 30 123456",
        "electronic_address": None,
        "ibans": ["DE89370400440532013000"],
    }
    assert (view["buyer"]["name"], view["buyer"]["vat"], view["buyer"]["postcode"], view["buyer"]["city"]) == (
        "Klant Holding B.V.",
        "NL000099998B57",
        "1011 AB",
        "Amsterdam",
    )
    assert view["lines"] == [
        {
            "id": "1",
            "code": "W-100",
            "name": "Wartung",
            "description": "Jahreswartung Heizung",
            "note": None,
            "quantity": "1",
            "unit_code": "C62",
            "unit_price": "120.00",
            "price_base_quantity": None,
            "vat_rate": "19",
            "vat_category": "S",
            "amount": "120.00",
        }
    ]
    assert view["vat_breakdown"] == [
        {"rate": "19", "category": "S", "base": "120.00", "vat": "22.80", "exemption_reason": None}
    ]
    assert view["totals"] == {
        "line_total": "120.00",
        "allowance_total": None,
        "charge_total": None,
        "untaxed": "120.00",
        "vat": "22.80",
        "total": "142.80",
        "prepaid": None,
        "rounding": None,
        "payable": "142.80",
    }


@pytest.mark.parametrize(
    "data",
    [XXE, BOMB, b"<Invoice>", b"<html><body>no invoice</body></html>"],
    ids=["external-entity", "billion-laughs", "malformed", "not-an-einvoice"],
)
def test_refused_as_read_refuses(data):
    expected = recognize_xml(data).error
    assert expected
    with pytest.raises(DocumentError) as refused:
        invoice_view(data)
    assert str(refused.value) == expected


def test_lines_beyond_the_limit_are_left_out_and_said_so():
    lines = [(f"A{n}", f"Artikel {n}", 1, "1.00", 21) for n in range(MAX_EINVOICE_LINES + 1)]
    view = invoice_view(ubl_document(lines=lines))
    assert (len(view["lines"]), view["line_count"], view["lines_truncated"]) == (
        MAX_EINVOICE_LINES,
        MAX_EINVOICE_LINES + 1,
        True,
    )
    assert view["lines"][-1]["code"] == f"A{MAX_EINVOICE_LINES - 1}"
    assert view["totals"]["payable"] == f"{(MAX_EINVOICE_LINES + 1) * Decimal('1.21'):.2f}"
    full = invoice_view(ubl_document(lines=lines[:MAX_EINVOICE_LINES]))
    assert (len(full["lines"]), full["line_count"], full["lines_truncated"]) == (
        MAX_EINVOICE_LINES,
        MAX_EINVOICE_LINES,
        False,
    )


def test_no_date_is_no_date_and_ubl_20_currency_from_its_amounts():
    data = (
        UBL_INVOICE.replace(b"<cbc:IssueDate>2026-11-02<", b"<cbc:IssueDate>___ignore___<")
        .replace(b"<cbc:DueDate>2026-12-02<", b"<cbc:DueDate>2026-13-45<")
        .replace(b"<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>", b"")
    )
    view = invoice_view(data)
    assert (view["issue_date"], view["due_date"], view["currency"], view["totals"]["vat"]) == (
        None,
        None,
        "EUR",
        "25.20",
    )


# The template reads these dicts under these names (t-set, t-as, t-call).
TEMPLATE = ROOT / "l10n_nl_scan_herken" / "views" / "einvoice_view_templates.xml"
TEMPLATE_NAMES = {
    "view": lambda v: v,
    "seller": lambda v: v["seller"],
    "buyer": lambda v: v["buyer"],
    "party": lambda v: v["buyer"],
    "totals": lambda v: v["totals"],
    "line": lambda v: v["lines"][0],
    "tax": lambda v: v["vat_breakdown"][0],
    "item": lambda v: v["allowance_charges"][0],
}


def test_template_reads_only_keys_the_view_has_and_no_raw_markup():
    text = TEMPLATE.read_text()
    view = invoice_view(UBL_INVOICE)
    used = re.findall(r"\b(\w+)\['(\w+)'\]", text)
    assert len(used) > 80
    for name, key in used:
        assert key in TEMPLATE_NAMES[name](view), f"{name}['{key}']"
    # Untrusted values: escaped output only; nothing executable or fetched.
    assert not re.search(r"t-raw|Markup|\|safe|<script|<link|<img|<iframe|\bsrc=|href=|@import|url\(", text)


def _samples():
    """(folder, row) of every XML sample of the shared corpus' UBL and CII sets."""
    for set_name in ("1_ubl", "2_cii_facturx_zugferd_xrechnung"):
        folder = corpus_dir(set_name)
        with open(folder / "MANIFEST.tsv", newline="") as manifest:
            for row in csv.DictReader(manifest, delimiter="\t"):
                if row["file"].lower().endswith(".xml"):
                    yield folder, row["file"]


def _same_amount(text, number):
    return text is not None and abs(abs(Decimal(text)) - abs(Decimal(str(number)))) < Decimal("0.005")


def test_every_corpus_sample_read_py_accepts_gives_a_view():
    """The view agrees with read.py on each sample read.py accepts, and each
    with a supplier (rule-test fragments have none) has a seller and a total."""
    checked = invoices = 0
    for folder, name in _samples():
        data = (folder / name).read_bytes()
        reading = recognize_xml(data, name)
        if reading.error:
            continue
        fields = {key: field.value for key, field in reading.fields.items()}
        view = invoice_view(data)
        checked += 1
        assert view["number"] == fields.get("invoice_number"), name
        assert view["seller"]["name"] == fields.get("supplier_name"), name
        assert view["seller"]["vat"] == fields.get("supplier_vat"), name
        if fields.get("supplier_iban"):
            assert fields["supplier_iban"] in [iban.replace(" ", "").upper() for iban in view["seller"]["ibans"]], name
        if fields.get("invoice_date") and view["issue_date"]:
            assert view["issue_date"] == fields["invoice_date"], name
        if fields.get("amount_total") is not None:
            assert _same_amount(view["totals"]["total"], fields["amount_total"]), name
        if fields.get("supplier_name"):
            invoices += 1
            assert view["totals"]["total"] or view["totals"]["payable"], name
    assert checked >= 300 and invoices >= 300, (checked, invoices)


def test_corpus_zugferd_1_comfort():
    """ZUGFeRD 1 names its containers otherwise: the same view from them."""
    view = invoice_view(
        (corpus_dir("2_cii_facturx_zugferd_xrechnung") / "facturx_lib/zugferd-comfort.xml").read_bytes()
    )
    assert (
        view["syntax"],
        view["number"],
        view["issue_date"],
        view["due_date"],
        view["seller"]["name"],
        view["seller"]["vat"],
        view["seller"]["ibans"],
        view["buyer"]["name"],
    ) == (
        "zugferd1",
        "471102",
        "2013-03-05",
        "2013-04-04",
        "Lieferant GmbH",
        "DE123456789",
        ["DE08700901001234567890"],
        "Kunden AG Mitte",
    )
    assert [
        (line["code"], line["quantity"], line["unit_price"], line["vat_rate"], line["amount"]) for line in view["lines"]
    ] == [("TB100A4", "20.0000", "9.9000", "19.00", "198.00"), ("ARNR2", "50.0000", "5.5000", "7.00", "275.00")]
    assert [(tax["rate"], tax["base"], tax["vat"]) for tax in view["vat_breakdown"]] == [
        ("7.00", "275.00", "19.25"),
        ("19.00", "198.00", "37.62"),
    ]
    assert (view["totals"]["untaxed"], view["totals"]["vat"], view["totals"]["total"], view["totals"]["payable"]) == (
        "473.00",
        "56.87",
        "529.87",
        "529.87",
    )
    assert view["payment_terms"].startswith("Zahlbar innerhalb 30 Tagen")
