from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import ScanHerkenCommon


@tagged("post_install", "-at_install")
class TestSettings(ScanHerkenCommon):
    def test_company_defaults(self):
        company = self.env["res.company"].create({"name": "Nieuw B.V."})
        self.assertRecordValues(
            company,
            [
                {
                    "l10n_nl_scan_enabled": False,
                    "l10n_nl_scan_recognize_amounts": True,
                    "l10n_nl_scan_bill_per_file": True,
                    "l10n_nl_scan_merge_lines": False,
                    "l10n_nl_scan_date_order": "dmy",
                    "l10n_nl_scan_einvoice_validation": False,
                    "l10n_nl_scan_max_rules": 250,
                }
            ],
        )

    def test_settings_write_to_company(self):
        with Form(self.env["res.config.settings"].with_company(self.company)) as settings:
            settings.l10n_nl_scan_merge_lines = True
            settings.l10n_nl_scan_date_order = "mdy"
            settings.l10n_nl_scan_max_rules = 300
        self.assertRecordValues(
            self.company,
            [
                {
                    "l10n_nl_scan_merge_lines": True,
                    "l10n_nl_scan_date_order": "mdy",
                    "l10n_nl_scan_max_rules": 300,
                }
            ],
        )

    def test_mailboxes_in_the_settings_without_developer_mode(self):
        """The settings list the company's vendor-bills mailboxes (not another
        company's) and open a new one already tied to the purchase journal."""
        journal = self.company_data["default_journal_purchase"]
        other = self.setup_other_company()["default_journal_purchase"]
        servers = self.env["fetchmail.server"].sudo()
        ours = servers.create(
            {
                "name": "Inkoop",
                "server": "127.0.0.1",
                "server_type": "imap",
                "user": "inkoop",
                "password": "x",
                "l10n_nl_scan_journal_id": journal.id,
            }
        )
        servers.create(
            {
                "name": "Ander",
                "server": "127.0.0.1",
                "server_type": "imap",
                "user": "ander",
                "password": "x",
                "l10n_nl_scan_journal_id": other.id,
            }
        )
        settings = self.env["res.config.settings"].with_company(self.company).create({})
        self.assertEqual(settings.l10n_nl_scan_mailbox_ids, ours)
        action = settings.action_l10n_nl_scan_add_mailbox()
        self.assertEqual(action["res_model"], "fetchmail.server")
        self.assertEqual(action["context"]["default_l10n_nl_scan_journal_id"], journal.id)
        mailbox = Form(self.env["fetchmail.server"].with_context(**action["context"]))
        mailbox.name = "Facturen"
        mailbox.server = "127.0.0.1"
        mailbox.user = "facturen"
        mailbox.password = "x"
        self.assertEqual(mailbox.save().l10n_nl_scan_journal_id, journal)
        listed = settings.action_l10n_nl_scan_mailboxes()
        self.assertEqual(
            sorted(self.env["fetchmail.server"].search(listed["domain"]).mapped("name")), ["Facturen", "Inkoop"]
        )

    def test_max_rules_must_be_positive(self):
        with self.assertRaises(ValidationError):
            self.company.l10n_nl_scan_max_rules = 0

    def test_supplier_overrides_company(self):
        partner = self.env["res.partner"].create({"name": "Leverancier"})
        self.company.l10n_nl_scan_date_order = "dmy"
        self.assertEqual(partner._l10n_nl_scan_date_order(self.company), "dmy")
        partner.l10n_nl_scan_date_order = "mdy"
        self.assertEqual(partner._l10n_nl_scan_date_order(self.company), "mdy")
        self.company.l10n_nl_scan_merge_lines = True
        self.assertTrue(partner._l10n_nl_scan_merge_lines(self.company))
        partner.l10n_nl_scan_merge_lines = "no"
        self.assertFalse(partner._l10n_nl_scan_merge_lines(self.company))

    def test_own_identifiers(self):
        self.company.write({"vat": "NL000099998B57", "company_registry": "1234 5678"})
        self.env["res.partner.bank"].create(
            {
                "acc_number": "NL91 ABNA 0417 1643 00",
                "partner_id": self.company.partner_id.id,
            }
        )
        self.env["l10n_nl_scan_herken.own_identifier"].create(
            [
                {"company_id": self.company.id, "identifier_type": "iban", "value": "nl02 rabo 0123 4567 89"},
                {"company_id": self.company.id, "identifier_type": "kvk", "value": "87654321"},
            ]
        )
        own = self.company._l10n_nl_scan_own_identifiers()
        self.assertEqual(own["vat"], ["NL000099998B57"])
        self.assertEqual(own["kvk"], ["12345678", "87654321"])
        self.assertEqual(own["iban"], ["NL02RABO0123456789", "NL91ABNA0417164300"])

    def test_own_identifier_unique_per_company(self):
        model = self.env["l10n_nl_scan_herken.own_identifier"]
        model.create({"company_id": self.company.id, "identifier_type": "iban", "value": "NL02RABO0123456789"})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            model.create({"company_id": self.company.id, "identifier_type": "iban", "value": "NL02 RABO 0123 4567 89"})

    def test_own_identifiers_multi_company_and_rights(self):
        other = self.setup_other_company()["company"]
        model = self.env["l10n_nl_scan_herken.own_identifier"]
        mine = model.create({"company_id": self.company.id, "identifier_type": "kvk", "value": "11112222"})
        theirs = model.create({"company_id": other.id, "identifier_type": "kvk", "value": "33334444"})
        user = self.env["res.users"].create(
            {
                "name": "Boekhouder",
                "login": "boekhouder",
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
                "groups_id": [(6, 0, [self.env.ref("account.group_account_invoice").id])],
            }
        )
        visible = model.with_user(user).search([("id", "in", (mine | theirs).ids)])
        self.assertEqual(visible, mine)
        with self.assertRaises(AccessError):
            mine.with_user(user).write({"value": "99998888"})
        manager = self.env["res.users"].create(
            {
                "name": "Controller",
                "login": "controller",
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
                "groups_id": [(6, 0, [self.env.ref("account.group_account_manager").id])],
            }
        )
        mine.with_user(manager).write({"value": "99998888"})
        self.assertEqual(mine.normalized_value, "99998888")

    def test_to_process_action(self):
        spec = self.spec(5)
        scanned = self.make_bill_with_pdf(spec)
        manual = self.init_invoice("in_invoice", amounts=[100])
        action = self.env.ref("l10n_nl_scan_herken.action_move_to_process")
        domain = safe_eval(action.domain)
        moves = self.env["account.move"].search([*domain, ("state", "=", "draft"), ("l10n_nl_scan_state", "!=", False)])
        self.assertIn(scanned, moves)
        self.assertNotIn(manual, moves)
