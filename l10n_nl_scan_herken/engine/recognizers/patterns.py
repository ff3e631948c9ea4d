"""The default labels, in one dict (selectors as data): Dutch, Flemish,
English, and the French and German a Belgian or Dutch mailbox also sees.
Supplier masks override single entries of it."""

import re

_FLAGS = re.IGNORECASE

DEFAULT_PATTERNS = {
    "invoice_number": (
        r"factuur\s*-?\s*(?:nummer|nr\.?|no\.?|num\.?|#)|factuurnr\.?|fact\.?\s*nr\.?"
        r"|(?:credit\s*)?nota\s*-?\s*(?:nummer|nr\.?)|(?:credit)?notanummer|creditfactuurnummer"
        r"|credit\s*(?:note|nota)\s*(?:number|no\.?|nr\.?|#)|document\s*-?\s*(?:nummer|nr\.?|number|no\.?)"
        r"|invoice\s*(?:number|no\.?|nr\.?|#|num(?:ber)?\.?|id)|inv\.?\s*(?:no\.?|#)"
        r"|rechnungs\s*-?\s*(?:nummer|nr\.?)|n[°º]\s*(?:de\s*)?facture|facture\s*n[°º]"
        r"|num[ée]ro\s*de\s*facture|nr\.?\s*(?:van\s*de\s*)?factuur|nummer\s*factuur"
        # Till receipts (the card terminal's "Beleg-Nr." on the same slip is not the receipt's number).
        r"|(?<![\w-])(?:kassen|kassa)?bon\s*-?\s*(?:nummer|nr\.?|no\.?)|(?<![\w-])bon(?=\s*:\s*\d)|belegnummer"
        r"|quittung\s*-?\s*(?:nummer|nr\.?)|rechnung\s*(?:nummer|nr\.?|no\.?)"
        # "Beleg-Nr." is the receipt's number, except on the card terminal's slip (see card_slip).
        r"|beleg\s*-?\s*nr\.?"
    ),
    "invoice_number_weak": (
        r"(?<![\w])(?:factuur|invoice|creditnota|credit\s*note|rechnung|facture|nummer|number|nr\.?|no\.?)(?![\w])"
        r"|(?<![\w#])#(?=\s?\d)"
    ),
    # Numbers a weak "Nr." label can belong to that are never the invoice's own:
    # tax and company registrations, bank and phone numbers, the till's and
    # the card terminal's counters, the customer's number.
    "not_invoice_number": (
        r"steuer|st\.?-?nr|ust|uid|mwst|btw|vat|tva|tax|gst|abn|siret|siren|rcs|kvk|coc|handelsreg|hrb|hra"
        r"|weee|reg(?:istration|\.)|kunden|klant|customer|client|debiteur|tel|phone|fax|bic|iban|konto|account"
        r"|bank|blz|filiale|markt|kasse|kassa|terminal|trace|beleg|autori[sz]|genehmigung|transak|artikel|art\.|ean"
        r"|sku|item|auftrag|order|bestell|liefer|leverings?|pakbon|delivery|lot|serie|serial|charge|pos\.?$"
    ),
    # Words of a card terminal's slip printed with a till receipt: its numbers
    # (Beleg-Nr., Trace-Nr.) are the terminal's, not the receipt's.
    "card_slip": (
        r"terminal|trace\s*-?\s*n|(?<![a-z])ta\s*-?\s*nr|girocard|kartenzahlung|kontaktlos|contactless|genehmigung"
        r"|autori[sz]ierung|autorisatie|(?<![a-z])emv(?![a-z])|(?<![a-z])aid\s*[:a]|kundenbeleg|h[äa]e?ndlerbeleg"
        r"|zahlung\s*erfolgt|pinbon|merchant\s*(?:id|copy)|transaktions?\s*-?\s*n|kartenfolge|karten\s*-?\s*nr"
    ),
    "invoice_date": (
        r"factuur\s*-?\s*datum|datum\s*(?:van\s*de\s*)?factuur|invoice\s*date|date\s*of\s*invoice"
        r"|(?:credit)?nota\s*-?\s*datum|document\s*-?\s*datum|document\s*date|date\s*de\s*(?:la\s*)?facture"
        r"|rechnungs\s*-?\s*datum|date\s*d['’]?\s*[ée]mission|issue\s*date|date\s*issued"
    ),
    "invoice_date_weak": r"(?<![a-z])(?:datum|date|dated|dd\.?)(?![a-z])",
    "due_date": (
        r"verval\s*-?\s*(?:datum|dag)|uiterste\s*betaal\s*-?\s*datum|uiterlijke\s*betaal\s*-?\s*datum"
        r"|(?:te\s*)?betalen\s*(?:voor|vóór|uiterlijk(?:\s*op)?|op|before)|betaaldatum|betalen\s*uiterlijk"
        r"|due\s*date|payment\s*due(?:\s*date)?|pay\s*(?:by|before)|due\s*(?:by|on)"
        r"|f[äa]llig(?:keitsdatum|\s*am)?|zahlbar\s*(?:bis|am)|[ée]ch[ée]ance|date\s*limite"
        r"|(?<![a-z])due(?![a-z])|payable\s*(?:by|until|before|on)|terms\s*of\s*payment\s*:?\s*(?:up\s*to|until|by)"
        r"|payment\s*(?:by|until|before)|zahlungsziel|zahlung\s*bis|sp[äa]testens(?:\s*am)?"
        r"|[àa]\s*r[ée]gler\s*(?:avant|le)|[àa]\s*payer\s*avant|betaaltermijn\s*tot"
    ),
    "kvk": (
        # "KvK Zwolle nr. 12345678", "KvK: Leiden, nr. 87654321", "Kamer van Koophandel 's-Hertogenbosch ...".
        r"(?:k\.?\s?v\.?\s?k\.?|kamer\s*van\s*koophandel)(?:\s*:?\s*[a-z'’\-]{3,},?)?(?:\s*(?:nummer|nr\.?|no\.?))?"
        r"|k\.?\s?v\.?\s?k\.?(?:\s*-?\s*(?:nummer|nr\.?|no\.?))?|kamer\s*van\s*koophandel(?:\s*(?:nummer|nr\.?))?"
        r"|c[o0]\s?[l1i]?\s?c(?:\s*(?:number|no\.?|nr\.?))?|chamber\s*of\s*commerce(?:\s*(?:number|no\.?))?"
        r"|handelsregister(?:\s*nr\.?)?|kvk-nummer"
    ),
    # The buyer's order reference; a bare "Ordernr." is often the supplier's
    # own order number, so it only counts when no buyer's label is printed.
    "purchase_order": (
        r"in\s*koop\s*-?\s*order\s*(?:nummer|nr\.?|no\.?)?|uw\s*(?:order|bestel\w*|opdracht)\s*(?:nummer|nr\.?|no\.?)?"
        r"|bestelbon(?:nummer)?|(?:your|customer)\s*(?:purchase\s*)?order\s*(?:number|no\.?|#|ref(?:erence)?\.?)?"
        r"|p\.?\s?o\.?\s*(?:number|no\.?|nr\.?|#|:)|purchase\s*order(?:\s*(?:number|no\.?|#))?"
        r"|bon\s*de\s*commande|votre\s*commande|(?<![a-z])v\s*/\s*r[ée]f\.?|vos?\s*r[ée]f(?:[ée]rence)?s?\.?"
        r"|ihre?\s*(?:bestellung|bestell\s*-?\s*(?:nummer|nr\.?)|auftrag\w*|zeichen)"
        r"|uw\s*referentie|your\s*reference|uw\s*ref\.?|your\s*ref\.?"
    ),
    "purchase_order_weak": (
        r"order\s*-?\s*(?:nummer|nr\.?|no\.?|number|#|ref\.?)|ordernr\.?|bestel\s*-?\s*(?:nummer|nr\.?)"
        r"|bestellnummer|bestell\s*-?\s*nr\.?"
    ),
    "packing_slip": (
        r"pak\s*-?\s*bon\s*(?:nummer|nr\.?|no\.?)?|leverings?\s*-?\s*bon\s*(?:nummer|nr\.?)?"
        r"|(?:af)?leverbon\s*(?:nummer|nr\.?)?|delivery\s*(?:note|slip)\s*(?:number|no\.?|nr\.?|#)?"
        r"|packing\s*(?:slip|list)\s*(?:number|no\.?|#)?|lieferschein\s*(?:nummer|nr\.?)?"
        r"|bon\s*de\s*livraison|afleveringsbon|vrachtbrief\s*(?:nummer|nr\.?)?"
    ),
    "amount_total": (
        r"totaal\s*(?:te\s*betalen|incl|bedrag|factuur|generaal|eur|€|\b)|te\s*betalen|te\s*voldoen"
        r"|factuur\s*bedrag|totaalbedrag|eindtotaal|rekening\s*s?\s*bedrag|total|amount\s*(?:due|payable)|balance\s*due"
        r"|gesamt\s*(?:betrag|summe)?|rechnungsbetrag|montant|net\s*à\s*payer|à\s*payer|endbetrag"
        r"|(?<![a-z])summe(?![a-z])|zu\s*zahlen"
    ),
    "amount_untaxed": (
        r"sub\s*-?\s*tota(?:al|l)|sous\s*-?\s*total|btw\s*-?\s*plichtig\s*bedrag|belastbaar\s*bedrag"
        r"|zwischen\s*summe|summe\s*(?:positionen|netto)|(?:netto\s*-?\s*)?waren\s*wert|steuerpflichtig"
        r"|taxable\s*(?:amount|value)|base\s*imposable|excl(?:\.|usief|uding)?|exkl|netto|net(?:\s*(?:amount|total))?(?![a-z])"
        r"|total\s*(?:before|ex\.?)\s*(?:vat|tax)|maatstaf\s*van\s*heffing|grondslag|basis|nettobetrag"
        r"|hors\s*taxes|total\s*ht|\bht\b|before\s*tax|zonder\s*btw|without\s*vat"
    ),
    "amount_tax": (
        r"(?<![a-z])b\.?\s?t\.?\s?w\.?(?![a-z])|btw\s*-?\s*bedrag|(?<![a-z])vat(?![a-z])|(?<![a-z])taxe?s?(?![a-z])"
        r"|omzetbelasting|mwst|(?<![a-z])ust(?![a-z])|mehrwertsteuer|umsatzsteuer|(?<![a-z])tva(?![a-z])"
        r"|(?<![a-z])iva(?![a-z])|(?<![a-z])gst(?![a-z])"
    ),
    "amount_incl": r"incl(?:\.|usief|uding)?|inkl|ttc|gross|bruto",
    "credit_note": (
        r"credit\s*-?\s*nota|credit\s*-?\s*factuur|credit\s*note|credit\s*invoice|creditering"
        r"|gutschrift|note\s*de\s*cr[ée]dit|avoir"
    ),
    "customer_context": (
        r"(?<![a-z])(?:uw|your|klant|customer|client|debiteur|afnemer|koper|buyer|bill\s*to|factuuradres"
        r"|ship\s*to|geadresseerde|aan|to|incasso|ge[iï]ncasseerd|debited|direct\s*debit|machtiging|mandaat"
        r"|uwe|votre|ihre?)(?![a-z])"
    ),
    "bank_context": r"iban|rekening|bank|account|t\.?n\.?v\.?|betalen\s*op|overmaken|transfer|bic|swift",
    "payment_reference": (
        r"betalings\s*-?\s*kenmerk|kenmerk|betaalreferentie|referentie|gestructureerde\s*mededeling"
        r"|mededeling|payment\s*reference|reference|ref\.?|communication|verwendungszweck"
    ),
}

COMPILED = {key: re.compile(value, _FLAGS) for key, value in DEFAULT_PATTERNS.items()}


def get_default_patterns():
    """A fresh dict of compiled label patterns, for masks to override."""
    return dict(COMPILED)
