"""Each recogniser on small texts: labels in Dutch, Flemish and English,
label-value lines and label-over-value tables, distractors."""

from decimal import Decimal

import pytest
from engine_loader import TODAY
from scan_engine import RecognitionContext
from scan_engine.pipeline import recognize_fields
from scan_engine.reading.document import document_from_text as doc_from_text
from scan_engine.recognizers.patterns import get_default_patterns


def fields(text, **context):
    ctx = RecognitionContext(today=TODAY, **context)
    return {k: f.value for k, f in recognize_fields(doc_from_text(text), ctx, get_default_patterns()).items()}


@pytest.mark.parametrize(
    "text, iban",
    [
        ("IBAN: NL91 ABNA 0417 1643 00", "NL91ABNA0417164300"),
        ("Rekening NL91ABNA0417164300 t.n.v. Jansen", "NL91ABNA0417164300"),
        ("Bank: BE68 5390 0754 7034 BIC ABCDBEBB", "BE68539007547034"),
        ("IBAN NL91 ABNA O417 1643 00", "NL91ABNA0417164300"),  # OCR: O for 0
        ("IBAN DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
    ],
)
def test_iban(text, iban):
    assert fields(text)["supplier_iban"] == iban


def test_iban_customer_and_own_are_not_the_supplier():
    text = "Wij incasseren van uw rekening NL02 RABO 0123 4567 89\nIBAN NL91 ABNA 0417 1643 00"
    assert fields(text)["supplier_iban"] == "NL91ABNA0417164300"
    own = fields("IBAN NL91 ABNA 0417 1643 00", own_identifiers={"iban": ["NL91ABNA0417164300"]})
    assert "supplier_iban" not in own


@pytest.mark.parametrize(
    "text, vat",
    [
        ("Btw-nr: NL000099998B57", "NL000099998B57"),
        ("BTW NL 0000.99.998.B57", "NL000099998B57"),
        ("Ondernemingsnummer BE 0403.019.261", "BE0403019261"),
        ("BTW BE0403 019 261", "BE0403019261"),
        ("Ondernemingsnr.: 0403.019.261", "BE0403019261"),
        ("USt-IdNr. DE136695976", "DE136695976"),
        ("TVA FR40303265045", "FR40303265045"),
    ],
)
def test_vat(text, vat):
    assert fields(text)["supplier_vat"] == vat


def test_customer_vat_only_when_nothing_else():
    text = "Uw btw-nummer: NL000099998B57\nBtw-nr: BE0403019261"
    assert fields(text)["supplier_vat"] == "BE0403019261"


@pytest.mark.parametrize(
    "text, kvk",
    [
        ("KvK 12345678", "12345678"),
        ("K.v.K.-nummer: 1234 5678", "12345678"),
        ("Kamer van Koophandel 12.34.56.78", "12345678"),
        ("CoC number 87654321", "87654321"),
    ],
)
def test_kvk(text, kvk):
    assert fields(text)["supplier_kvk"] == kvk


@pytest.mark.parametrize(
    "text, number",
    [
        ("Factuurnummer: 2026-0042", "2026-0042"),
        ("Factuurnr. F123456", "F123456"),
        ("Invoice no. INV/2026/001", "INV/2026/001"),
        ("Invoice # 98765", "98765"),
        ("Nr. factuur: VF-77", "VF-77"),
        ("Creditnotanummer: CN-12", "CN-12"),
        ("Factuurnummer   Factuurdatum   Klantnummer\n2026-0042       03-11-2026     K991", "2026-0042"),
        ("Klantnummer: K991\nFactuur: 2026-0042", "2026-0042"),
    ],
)
def test_invoice_number(text, number):
    assert fields(text + "\nTotaal 10,00")["invoice_number"] == number


@pytest.mark.parametrize(
    "text, date",
    [
        ("Factuurdatum: 03-11-2026", "2026-11-03"),
        ("Datum: 3 november 2026", "2026-11-03"),
        ("Invoice date: Nov 3, 2026", "2026-11-03"),
        ("Factuurdatum  Vervaldatum\n03.11.2026    03.12.2026", "2026-11-03"),
        ("Datum 11/03/2026 vervaldatum 11/25/2026", "2026-11-03"),  # the order learned from 11/25
    ],
)
def test_invoice_date(text, date):
    assert fields(text)["invoice_date"] == date


def test_date_order_from_context_wins():
    assert fields("Datum 03/11/2026", date_order="mdy")["invoice_date"] == "2026-03-11"
    assert fields("Datum 03/11/2026")["invoice_date"] == "2026-11-03"


def test_due_date_and_terms():
    assert fields("Factuurdatum 01-11-2026\nVervaldatum: 15-11-2026")["due_date"] == "2026-11-15"
    assert fields("Factuurdatum 01-11-2026\nBetalen binnen 30 dagen")["due_date"] == "2026-12-01"


def test_date_outside_window_has_low_confidence():
    ctx = RecognitionContext(today=TODAY)
    found = recognize_fields(doc_from_text("Factuurdatum: 03-11-2019\nTotaal 10,00"), ctx)
    assert found["invoice_date"].value == "2019-11-03"
    assert found["invoice_date"].confidence < 0.5


def test_totals_dutch_and_tax_lines():
    text = (
        "Subtotaal              € 1.000,00\n"
        "BTW 21% over € 600,00  € 126,00\n"
        "BTW 9% over € 400,00   € 36,00\n"
        "Totaal te betalen      € 1.162,00"
    )
    found = fields(text)
    assert (found["amount_untaxed"], found["amount_tax"], found["amount_total"]) == (1000.0, 162.0, 1162.0)
    assert found["tax_lines"] == [
        {"rate": 21.0, "base": 600.0, "amount": 126.0},
        {"rate": 9.0, "base": 400.0, "amount": 36.0},
    ]
    assert found["currency"] == "EUR"


def test_totals_english_table():
    text = "Net amount    VAT      Total\n1,234.50      259.25   1,493.75 GBP"
    found = fields(text)
    assert (found["amount_untaxed"], found["amount_tax"], found["amount_total"]) == (1234.5, 259.25, 1493.75)
    assert found["currency"] == "GBP"


def test_belgian_rates():
    text = "Maatstaf van heffing 200,00\nBtw 6% over 100,00 6,00\nBtw 12% over 100,00 12,00\nTe betalen 218,00"
    found = fields(text)
    assert [line["rate"] for line in found["tax_lines"]] == [12.0, 6.0]
    assert found["amount_tax"] == 18.0


def test_credit_note_negative():
    found = fields("CREDITNOTA\nCreditnotanummer: CN-1\nTotaal excl. btw 100,00\nBTW 21% 21,00\nTotaal 121,00")
    assert found["document_type"] == "credit_note"
    assert (found["amount_untaxed"], found["amount_tax"], found["amount_total"]) == (-100.0, -21.0, -121.0)


@pytest.mark.parametrize(
    "text, reference",
    [
        ("Betalingskenmerk: 0000 0000 0000 0000", "0000000000000000"),
        ("Mededeling: +++090/9337/55493+++", "+++090/9337/55493+++"),
        ("Referentie RF18 5390 0754 7034", "RF18539007547034"),
    ],
)
def test_payment_reference(text, reference):
    assert fields(text + "\nTotaal 10,00")["payment_reference"] == reference


def test_invalid_structured_reference_is_ignored():
    assert "payment_reference" not in fields("Mededeling: +++090/9337/55494+++\nTotaal 10,00")


def test_order_and_packing_slip():
    found = fields("Uw ordernummer: PO-4711\nPakbonnummer: PB-2026-1\nTotaal 10,00")
    assert found["purchase_order"] == "PO-4711"
    assert found["packing_slip"] == "PB-2026-1"
    assert fields("Your order no. 4500012345\nDelivery note: DN-77\nTotal 10.00")["packing_slip"] == "DN-77"


def test_supplier_name_from_letterhead():
    text = (
        "Jansen Installatietechniek B.V.        FACTUUR\nIndustrieweg 12, Utrecht\n\nFactuuradres:\nKlant Holding B.V."
    )
    assert fields(text + "\nTotaal 10,00")["supplier_name"] == "Jansen Installatietechniek B.V."


@pytest.mark.parametrize(
    "text, currency",
    [
        ("Tax invoice\nAuckland, New Zealand\nSubtotal $230.43\nGST $36.06\nTotal $266.49", "NZD"),
        ("Tax invoice\nABN 51 824 753 556\nTotal $110.00\nGST $10.00", "AUD"),
        ("Invoice\nToronto, Canada\nHST $13.00\nTotal $113.00", "CAD"),
        ("Invoice\nNew York\nTotal $113.00", "USD"),
        ("Invoice\nAuckland, New Zealand\nTotal USD 113.00", "USD"),  # a code printed wins over the country
        ("RESIT\nTOTAL RM 26.60\nTUNAI RM 30.00", "MYR"),
    ],
)
def test_currency_of_a_bare_dollar_follows_the_country(text, currency):
    assert fields(text + "\nDate 2026-11-02")["currency"] == currency


def test_unlabelled_date_outside_the_window_is_kept_with_low_confidence():
    """A till receipt of years ago: its only date is still the invoice date
    (the bill shows it with the window warning), never a future one."""
    ctx = RecognitionContext(today=TODAY)
    receipt = doc_from_text("SUPERMARKT\nBrot 2,49\nSUMME 2,49\n02.03.2020 19:02 Kasse 3")
    found = recognize_fields(receipt, ctx, get_default_patterns())
    assert found["invoice_date"].value == "2020-03-02"
    assert found["invoice_date"].confidence < 0.3
    future = doc_from_text("SUPERMARKT\nSUMME 2,49\nGeldig tot 02.03.2031")
    assert "invoice_date" not in recognize_fields(future, ctx, get_default_patterns())
    recent = doc_from_text("SUPERMARKT\nAanbieding tot 02.03.2020\nSUMME 2,49\n20.11.2026 19:02")
    assert recognize_fields(recent, ctx, get_default_patterns())["invoice_date"].value == "2026-11-20"


@pytest.mark.parametrize(
    "text, number",
    [
        ("DROGERIEMARKT\nSUMME EUR 2,49\nBon Nr.:3226 Kasse 2", "3226"),
        ("SUPERMARKT\nSUMME 13,78\nBon: 00320 Kasse 4", "00320"),
        ("APOTHEKE\nKassenbon Nr 1505289010\nSUMME 9,95", "1505289010"),
        ("MOEBELHAUS\nQuittung\nBelegnummer 05R024747\nGesamtbetrag 59,96", "05R024747"),
        ("Rechnung Nr. 2026-118\nGesamtbetrag 59,96", "2026-118"),
        ("BOUWMARKT\nKassabon nr 8812\nTotaal 12,50", "8812"),
    ],
)
def test_receipt_number_labels(text, number):
    assert fields(text + "\nDatum 20.11.2026")["invoice_number"] == number


def test_card_terminal_number_is_not_the_receipt_number():
    text = "SUPERMARKT\nBonNr 7411\nSUMME 48,77\nKartenzahlung\nBeleg-Nr. 7617\nTA-Nr 830578\nDatum 20.11.2026"
    assert fields(text)["invoice_number"] == "7411"


@pytest.mark.parametrize("dash", ["-", "\u2010", "\u2011", "\u2013"])
def test_invoice_number_is_not_cut_at_a_typographic_hyphen(dash):
    assert (
        fields(f"Invoice number 40391217{dash}0002\nDate 2026-11-02\nTotal 12.00")["invoice_number"] == "40391217-0002"
    )


# Kinds of failure seen on real documents, each on a text written for the test.
@pytest.mark.parametrize(
    "text, field, value",
    [
        # A weak "Nr." label that names another number is not the invoice number.
        ("Steuer-Nr. 123/456/78901\nRechnung 555123\nGesamt 10,00", "invoice_number", "555123"),
        ("Kunden Nr. 44556\nRechnung 555123\nGesamt 10,00", "invoice_number", "555123"),
        ("Beleg-Nr. 599/018/00001 20.11.26\nSUMME 34,00", "invoice_number", "599/018/00001"),
        # Due dates in English and German, and terms in days.
        ("Invoice date Nov 3, 2026\nDate due Dec 2, 2026\nTotal 10.00", "due_date", "2026-12-02"),
        ("Invoice date 9 Nov 26\nTotal due 9 Dec 26\nTotal 10.00", "due_date", "2026-12-09"),
        ("Rechnungsdatum 01.11.2026\nTerms of payment: up to 15.11.2026\nGesamt 10,00", "due_date", "2026-11-15"),
        ("Rechnungsdatum 01.11.2026\nZahlbar innerhalb von 14 Tagen\nGesamt 10,00", "due_date", "2026-11-15"),
        ("Rechnungsdatum 01.11.2026\nZahlbar 14 Tage netto\nGesamt 10,00", "due_date", "2026-11-15"),
        ("Invoice date 01.11.2026\nTerms: Net 30\nTotal 10.00", "due_date", "2026-12-01"),
        ("Rechnungsdatum 01.11.2026\nZahlbar sofort ohne Abzug\nGesamt 10,00", "due_date", "2026-11-01"),
        (
            (
                "Rechnungsdatum 01.11.2026\nBis zum 08.11.2026 erhalten Sie 3 % Skonto.\n"
                "Bis zum 30.11.2026 ohne Abzug.\nGesamt 10,00"
            ),
            "due_date",
            "2026-11-30",
        ),
        # Amounts: French labels, tax-inclusive statements, net-amount labels.
        ("Sous-total 100,00\nTaxe sur la valeur ajoutée 20 % 20,00\nTotal 120,00", "amount_untaxed", 100),
        ("Sous-total 100,00\nTaxe sur la valeur ajoutée 20 % 20,00\nTotal 120,00", "amount_tax", 20),
        ("Total $136.40\nincludes 10% GST: $12.40", "amount_tax", Decimal("12.40")),
        ("SUMME 39,00\nincl. 19,00% MwSt (b) 6,23", "amount_tax", Decimal("6.23")),
        (
            (
                "Netto goederenwaarde 534,87\nVrachtkosten 19,95\nBTW plichtig bedrag 554,82\n"
                "Af te dragen BTW 21,00 % 116,51\nRekeningsbedrag 671,33"
            ),
            "amount_untaxed",
            Decimal("554.82"),
        ),
        (
            (
                "Netto goederenwaarde 534,87\nVrachtkosten 19,95\nBTW plichtig bedrag 554,82\n"
                "Af te dragen BTW 21,00 % 116,51\nRekeningsbedrag 671,33"
            ),
            "amount_total",
            Decimal("671.33"),
        ),
        (
            (
                "Summe Positionen 10,80\nMehrwertsteuer 19,00 % 10,80 2,05\nEndbetrag 12,85 EUR\n"
                "Im Endbetrag ist ein Anteil von 2,72 EUR enthalten."
            ),
            "amount_total",
            Decimal("12.85"),
        ),
        # An old receipt's stamp is still its date (low confidence, with the date warning).
        ("SUMME EUR 9,31\n5.09.15 19:20 8658145 0555", "invoice_date", "2015-09-05"),
        ("SUMME EUR 49,90\nBetrag enthält 3,26 € MwSt", "amount_tax", Decimal("3.26")),
        ("Totaal € 12,10\nwaarvan 2,10 btw", "amount_tax", Decimal("2.10")),
        # The card slip's Beleg-Nr. two lines above its payment words is the terminal's, not the receipt's.
        (
            (
                "BUCHHANDLUNG\nSUMME EUR 49,90\nBeleg-Nr. 7609\nTransaktions-Nr. 433365\nKartenzahlung\n"
                "Vielen Dank\nfür Ihren Einkauf\nMo-Sa 9-20 Uhr\nFiliale 0001 BonNr: 00600"
            ),
            "invoice_number",
            "00600",
        ),
        ("Steuer. Nr.: 215/5940/2539\nSUMME 49,99", "invoice_number", None),
        ("Klant: Factuurnr.: F983026\nKlant Holding B.V.\nTotaal 10,00", "invoice_number", "F983026"),
        # A misread total that does not add up gives way to the payment that does.
        ("SUBTOTAL 27.60\nSALES TAX 1.93\nTOTAL 29.93\nVISA ACCT 1850 29.53", "amount_total", Decimal("29.53")),
        ("SUBTOTAL 27.60\nSALES TAX 1.93\nTOTAL 29.93\nVISA ACCT 1850 29.53", "amount_untaxed", Decimal("27.60")),
        ("ZU ZAHLEN EURO 10,90\nC 7,00% 8,52 0,60 9,12\nD 19,00% 1,50 0,28 1,78", "amount_total", Decimal("10.90")),
        ("ZU ZAHLEN EURO 10,90\nC 7,00% 8,52 0,60 9,12\nD 19,00% 1,50 0,28 1,78", "amount_tax", Decimal("0.88")),
        # A quantity column beside a price is not one amount with a thousands space.
        ("Omschrijving Aantal Prijs\nWidget 10      279,61", "amount_total", Decimal("279.61")),
        ("Prix 1 279,61 EUR", "amount_total", Decimal("1279.61")),
        # A currency sign after one amount, the next amount glued to its own sign, far to the right.
        (
            "Totaal excl. btw € 100,00\nBTW 21% over € 100,00          €21,00\nTotaal te betalen € 121,00",
            "tax_lines",
            [{"rate": 21.0, "base": 100.0, "amount": 21.0}],
        ),
        # Parties: OSS and Austrian VAT numbers, KvK with a city, IBAN after a short word or a VAT number.
        ("USt-IdNr EU372000041\nTotal 10,00", "supplier_vat", "EU372000041"),
        ("UID ATU13585627\nGesamt 10,00", "supplier_vat", "ATU13585627"),
        ("KvK Zwolle nr. 12345678\nTotaal 10,00", "supplier_kvk", "12345678"),
        ("KvK: Leiden, nr. 87654321\nTotaal 10,00", "supplier_kvk", "87654321"),
        ("Kamer van Koophandel 's-Hertogenbosch 160 30 531\nTotaal 10,00", "supplier_kvk", "16030531"),
        ("Graag overmaken op IBAN NL91 ABNA 0417 1643 00\nTotaal 10,00", "supplier_iban", "NL91ABNA0417164300"),
        ("BTW NL000099998B57 IBAN NL91ABNA0417164300\nTotaal 10,00", "supplier_iban", "NL91ABNA0417164300"),
        ("BTW NL000099998B57 IBAN NL91ABNA0417164300\nTotaal 10,00", "supplier_vat", "NL000099998B57"),
        # A bare "$" follows the country's weaker hints too; a misspelt month; a "#" label; month-following terms.
        ("Tax Invoice\nGST No: 104-299-202\nAuckland\nTOTAL $28.75", "currency", "NZD"),
        ("Invoice\nBank 12-3083-0335984-00\nTotal $30.00", "currency", "NZD"),
        ("Invoice\n12 Pitt Street, Sydney\nTotal $30.00", "currency", "AUD"),
        ("Invoice\nSan Mateo, CA\nTotal $30.00", "currency", "USD"),
        ("Tax Invoice No:240120\n3rd Novmber 2026\nTOTAL $28.75", "invoice_date", "2026-11-03"),
        ("INVOICE\n# 9379\nGST No: 010 053 653\nTotal $73.75", "invoice_number", "9379"),
        (
            (
                "Invoice date 03-Nov-26\nNo claims accepted unless notified within 7 days.\n"
                "Payment on 20th of month following invoice.\nTotal 10.00"
            ),
            "due_date",
            "2026-12-20",
        ),
        ("Factuurdatum 03-11-2026\nBetaling op de 15e van de volgende maand\nTotaal 10,00", "due_date", "2026-12-15"),
        ("Rechnungsdatum 03.11.2026\nZahlungsbedingung Sofort rein netto\nTotal EUR 10,00", "due_date", "2026-11-03"),
        # An IBAN's digits (here they pass the Dutch reference's check digit) are no payment reference.
        ("Rechnung 5\nIBAN: AT12 1200 0100 0000 0005\nTotal EUR 10,00", "payment_reference", None),
        ("Rechnung 5\nBitte überweisen op IBAN AT12 1200 0100 0000 0005\nTotal EUR 10,00", "payment_reference", None),
        # The buyer's order reference wins over the supplier's own order number.
        ("Ordernr. Datum\n4550219 15.10.2026\nUw bestelling\n3389\nTotaal 10,00", "purchase_order", "3389"),
        ("BL n° 26302 N/REF :934006 V/REF : K2-2200224835\nTotal 10,00", "purchase_order", "K2-2200224835"),
        ("Ordernr. 4550219\nTotaal 10,00", "purchase_order", "4550219"),
    ],
)
def test_real_world_kinds(text, field, value):
    expected = pytest.approx(float(value)) if isinstance(value, (int, Decimal)) else value
    assert fields(text).get(field) == expected


def test_ocr_spacing_in_receipt_amounts_and_dates():
    """Dot-matrix print read by OCR: "48. 77" and "04, 04. 2026" (a space
    after the decimal separator, a comma for the date's first dot)."""
    doc = doc_from_text("BAUMARKT\nSUMME EUR 48. 77\nGEGEBEN Mastercard 48. 77\nDatum: 04, 11. 2026")
    for page in doc.pages:
        page.source = "ocr"
    found = recognize_fields(doc, RecognitionContext(today=TODAY), get_default_patterns())
    assert found["amount_total"].value == pytest.approx(48.77)
    assert found["invoice_date"].value == "2026-11-04"
    text_layer = recognize_fields(
        doc_from_text("Aantal 3. 12 stuks"), RecognitionContext(today=TODAY), get_default_patterns()
    )
    assert "amount_total" not in text_layer  # a text layer is taken as printed


@pytest.mark.parametrize(
    "text",
    [
        "Factuurontvanger:\nSupertape B.V.\nPostbus 14\nFactuur 123\nTotaal 10,00",
        "Firma\nCV Trade AG\nNeufeldweg 2\nRechnung 5\nTotal EUR 10,00",
        "Rechnungsempfänger:\nMüller GmbH\nHauptstr. 1\nRechnung 5\nGesamt 10,00",
        "Hierbij ontvangt u de factuur voor de geleverde diensten van Jansen Advies B.V.\nTotaal 10,00",
        "Dear customer, please find attached the invoice from Acme Ltd for last month.\nTotal 10.00",
    ],
)
def test_no_addressee_or_sentence_as_supplier_name(text):
    """The addressee (under its label or a salutation alone on its line) and
    a sentence of a mail body are never proposed as the supplier's name."""
    assert "supplier_name" not in fields(text)


def test_letterhead_is_the_supplier_name_beside_an_addressee():
    assert (
        fields("Jansen Advies B.V.\nKerkstraat 1\nFactuur aan:\nKlant Holding B.V.\nTotaal 10,00")["supplier_name"]
        == "Jansen Advies B.V."
    )


def test_ocr_spacing_in_a_vat_table_row():
    doc = doc_from_text("Steuer % Brutto Netto Steuer\nA=19, 00% 13, 78 11,58 2,20\nBetrag EUR 13, 78")
    for page in doc.pages:
        page.source = "ocr"
    found = recognize_fields(doc, RecognitionContext(today=TODAY), get_default_patterns())
    assert found["tax_lines"].value == [{"rate": 19.0, "base": 11.58, "amount": 2.2}]
    assert found["amount_tax"].value == pytest.approx(2.20)


@pytest.mark.parametrize(
    "text, address",
    [
        (
            (
                "Smit Drukwerk BV\nIndustrieweg 194, 5611 AZ Eindhoven\nFactuuradres:\nKlant Holding B.V.\n"
                "Keizersgracht 100\n1015 AA Amsterdam\nTotaal 10,00"
            ),
            {
                "supplier_street": "Industrieweg 194",
                "supplier_zip": "5611 AZ",
                "supplier_city": "Eindhoven",
                "supplier_country": "NL",
            },
        ),
        (
            "Claes Elektro NV      FACTUUR\nDorpsstraat 116, 2000 Antwerpen\nBTW BE0403019261\nTotaal 10,00",
            {
                "supplier_name": "Claes Elektro NV",
                "supplier_street": "Dorpsstraat 116",
                "supplier_zip": "2000",
                "supplier_city": "Antwerpen",
                "supplier_country": "BE",
            },
        ),
        (
            "Lenze B.V.\nPloegweg 15\nNL-5232 BR 's-Hertogenbosch\nTotaal 10,00",
            {
                "supplier_street": "Ploegweg 15",
                "supplier_zip": "5232 BR",
                "supplier_city": "'s-Hertogenbosch",
                "supplier_country": "NL",
            },
        ),
        # Only the addressee's address is printed: nothing is proposed for the supplier.
        ("Factuuradres:\nKlant Holding B.V.\nKeizersgracht 100\n1015 AA Amsterdam\nTotaal 10,00", {}),
    ],
)
def test_supplier_address_under_the_letterhead(text, address):
    found = {
        k: v
        for k, v in fields(text).items()
        if k in address or k.startswith(("supplier_street", "supplier_zip", "supplier_city", "supplier_co"))
    }
    assert found == address
