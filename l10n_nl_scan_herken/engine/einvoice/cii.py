"""Where the e-invoice view finds each value in a CII (and, namespace-free,
a ZUGFeRD 1) document, as data built from the parts that differ."""


def _cii_view(transaction, document, agreement, delivery, settlement, summation, line_summation, rate, reference):
    """The view's paths of a CII syntax, from the names that differ between
    CII (D16B) and ZUGFeRD 1: its containers, the rate's and a reference's."""
    address = "./ram:PostalTradeAddress/ram:"
    contact = "./ram:DefinedTradeContact/ram:"
    total = f"{settlement}/{summation}/ram:"
    account = f"{settlement}/ram:SpecifiedTradeSettlementPaymentMeans/ram:PayeePartyCreditorFinancialAccount/ram:"
    period = f"{settlement}/ram:BillingSpecifiedPeriod/ram:"
    return {
        "seller": f"{agreement}/ram:SellerTradeParty",
        "buyer": f"{agreement}/ram:BuyerTradeParty",
        "buyer_reference": f"{agreement}/ram:BuyerReference",
        "contract_reference": f"{agreement}/ram:ContractReferencedDocument/{reference}",
        "invoice_reference": f"{settlement}/ram:InvoiceReferencedDocument/{reference}",
        "delivery_date": f"{delivery}/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString",
        "period_start": f"{period}StartDateTime/udt:DateTimeString",
        "period_end": f"{period}EndDateTime/udt:DateTimeString",
        "notes": f"{document}/ram:IncludedNote/ram:Content",
        "payment_terms": f"{settlement}/ram:SpecifiedTradePaymentTerms/ram:Description",
        "bank_accounts": f"{account}IBANID|{account}ProprietaryID",
        "allowance_charges": f"{settlement}/ram:SpecifiedTradeAllowanceCharge",
        "lines": f"{transaction}/ram:IncludedSupplyChainTradeLineItem",
        "totals": {
            "line_total": total + "LineTotalAmount",
            "allowance_total": total + "AllowanceTotalAmount",
            "charge_total": total + "ChargeTotalAmount",
            "prepaid": total + "TotalPrepaidAmount",
            "rounding": total + "RoundingAmount",
            "payable": total + "DuePayableAmount",
        },
        "party": {
            "legal_name": "./ram:Name",
            "street_lines": f"{address}LineOne|{address}LineTwo|{address}LineThree",
            "postcode": f"{address}PostcodeCode",
            "city": f"{address}CityName",
            "country_code": f"{address}CountryID",
            "company_id": "./ram:SpecifiedLegalOrganization/ram:ID",
            "contact": f"{contact}PersonName",
            "email": f"{contact}EmailURIUniversalCommunication/ram:URIID",
            "phone": f"{contact}TelephoneUniversalCommunication/ram:CompleteNumber",
            "electronic_address": "./ram:URIUniversalCommunication/ram:URIID",
        },
        "line": {
            "id": "./ram:AssociatedDocumentLineDocument/ram:LineID",
            "name": "./ram:SpecifiedTradeProduct/ram:Name",
            "description": "./ram:SpecifiedTradeProduct/ram:Description",
            "note": "./ram:AssociatedDocumentLineDocument/ram:IncludedNote/ram:Content",
            # A line holds one delivery, one net price and one VAT category.
            "quantity": ".//ram:BilledQuantity",
            "unit_price": ".//ram:NetPriceProductTradePrice/ram:ChargeAmount",
            "price_base_quantity": ".//ram:NetPriceProductTradePrice/ram:BasisQuantity",
            "vat_rate": f".//ram:ApplicableTradeTax/{rate}",
            "vat_category": ".//ram:ApplicableTradeTax/ram:CategoryCode",
            "amount": f".//{line_summation}/ram:LineTotalAmount",
        },
        "subtotal": {"category": "./ram:CategoryCode", "exemption_reason": "./ram:ExemptionReason"},
        "allowance": {
            "charge": "./ram:ChargeIndicator/udt:Indicator",
            "reason": "./ram:Reason",
            "amount": "./ram:ActualAmount",
            "vat_rate": f"./ram:CategoryTradeTax/{rate}",
        },
    }
