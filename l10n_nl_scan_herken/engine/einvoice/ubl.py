"""Where the e-invoice view finds each value in a UBL document, as data."""

from .read import LINE_PATHS

_UBL_TOTAL = "./cac:LegalMonetaryTotal/cbc:"
_UBL_ADDRESS = "./cac:PostalAddress/"
UBL_VIEW = {
    "seller": "./cac:AccountingSupplierParty/cac:Party",
    "buyer": "./cac:AccountingCustomerParty/cac:Party",
    "buyer_reference": "./cbc:BuyerReference",
    "contract_reference": "./cac:ContractDocumentReference/cbc:ID",
    "invoice_reference": "./cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID",
    "delivery_date": "./cac:Delivery/cbc:ActualDeliveryDate",
    "period_start": "./cac:InvoicePeriod/cbc:StartDate",
    "period_end": "./cac:InvoicePeriod/cbc:EndDate",
    "notes": "./cbc:Note",
    "payment_terms": "./cac:PaymentTerms/cbc:Note",
    "bank_accounts": "./cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID",
    "allowance_charges": "./cac:AllowanceCharge",
    "lines": LINE_PATHS["ubl"][0],
    "totals": {
        "line_total": _UBL_TOTAL + "LineExtensionAmount",
        "allowance_total": _UBL_TOTAL + "AllowanceTotalAmount",
        "charge_total": _UBL_TOTAL + "ChargeTotalAmount",
        "prepaid": _UBL_TOTAL + "PrepaidAmount",
        "rounding": _UBL_TOTAL + "PayableRoundingAmount",
        "payable": _UBL_TOTAL + "PayableAmount",
    },
    "party": {
        "legal_name": "./cac:PartyLegalEntity/cbc:RegistrationName",
        "street_lines": f"{_UBL_ADDRESS}cbc:StreetName|{_UBL_ADDRESS}cbc:AdditionalStreetName"
        f"|{_UBL_ADDRESS}cac:AddressLine/cbc:Line",
        "building_number": f"{_UBL_ADDRESS}cbc:BuildingNumber",  # UBL 2.0 (SI-UBL 1.x)
        "postcode": f"{_UBL_ADDRESS}cbc:PostalZone",
        "city": f"{_UBL_ADDRESS}cbc:CityName",
        "country_code": f"{_UBL_ADDRESS}cac:Country/cbc:IdentificationCode",
        "company_id": "./cac:PartyLegalEntity/cbc:CompanyID",
        "contact": "./cac:Contact/cbc:Name",
        "email": "./cac:Contact/cbc:ElectronicMail",
        "phone": "./cac:Contact/cbc:Telephone",
        "electronic_address": "./cbc:EndpointID",
    },
    "line": {
        "id": "./cbc:ID",
        "name": LINE_PATHS["ubl"][3],
        "description": "./cac:Item/cbc:Description",
        "note": "./cbc:Note",
        "quantity": "./cbc:InvoicedQuantity|./cbc:CreditedQuantity",
        "unit_price": "./cac:Price/cbc:PriceAmount",
        "price_base_quantity": "./cac:Price/cbc:BaseQuantity",
        "vat_rate": "./cac:Item/cac:ClassifiedTaxCategory/cbc:Percent",
        "vat_category": "./cac:Item/cac:ClassifiedTaxCategory/cbc:ID",
        "amount": LINE_PATHS["ubl"][2],
    },
    "subtotal": {
        "category": "./cac:TaxCategory/cbc:ID",
        "exemption_reason": "./cac:TaxCategory/cbc:TaxExemptionReason",
    },
    "allowance": {
        "charge": "./cbc:ChargeIndicator",
        "reason": "./cbc:AllowanceChargeReason",
        "amount": "./cbc:Amount",
        "vat_rate": "./cac:TaxCategory/cbc:Percent",
    },
}
