{
    "name": "Scan en herken (NL/BE purchase invoices)",
    "summary": "Turn every mailed supplier invoice into a recognised draft vendor bill, "
    "with local OCR and e-invoice reading.",
    "version": "18.0.1.0.0",
    "category": "Accounting/Localizations",
    "website": "https://github.com/l10n-nl-scan-herken/l10n_nl_scan_herken",
    "author": "l10n_nl_scan_herken developers",
    "license": "LGPL-3",
    "depends": ["account", "account_edi_ubl_cii", "mail", "analytic"],
    "external_dependencies": {
        "python": ["pdfplumber", "pypdfium2", "regex", "schwifty", "python-stdnum"],
        "bin": ["tesseract"],
    },
    "data": [
        "security/ir.model.access.csv",
        "security/scan_security.xml",
        "data/ir_cron.xml",
        "views/res_config_settings_views.xml",
        "views/fetchmail_server_views.xml",
        "views/mask_views.xml",
        "views/rule_views.xml",
        "views/res_partner_views.xml",
        "views/own_identifier_views.xml",
        "views/booking_template_views.xml",
        "views/account_move_views.xml",
        "views/validate_account_move_views.xml",
        "views/einvoice_view_templates.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/demo_data.xml"],
    "assets": {
        "web.assets_backend": [
            "l10n_nl_scan_herken/static/src/**/*",
        ],
        "web.assets_tests": [
            "l10n_nl_scan_herken/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": False,
}
