import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";

/** The test's scan, as the bookkeeper would pick it in the file dialog. */
async function uploadScan(button) {
    const [file] = await rpc("/web/dataset/call_kw/ir.attachment/search_read", {
        model: "ir.attachment",
        method: "search_read",
        args: [[["name", "=", "review-tour-scan.png"]], ["datas"]],
        kwargs: {},
    });
    const bytes = Uint8Array.from(atob(file.datas), (c) => c.charCodeAt(0));
    const input = button.closest(".o_control_panel").querySelector("input.o_input_file");
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], "scan-leverancier.png", { type: "image/png" }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

const NUMBER = /^INV-\d+$/;

registry.category("web_tour.tours").add("l10n_nl_scan_herken_review", {
    steps: () => [
        {
            content: "Upload a scanned invoice from the vendor bills list",
            trigger: ".o_control_panel .o_button_upload_bill",
            async run() {
                await uploadScan(this.anchor);
            },
        },
        {
            content: "The bill opens beside its document, the recognised values boxed",
            trigger: ".o_form_view .o_scan_viewer .o_scan_box[data-key='amount_total']",
            timeout: 60000,
        },
        {
            content: "The review screen speaks Dutch",
            trigger: ".o_scan_viewer .o_scan_hint:contains('Klik in een veld van de factuur')",
        },
        {
            content: "Pointing at the invoice date marks where it was read",
            trigger: ".o_form_view div[name='invoice_date']",
            run: "hover",
        },
        {
            trigger: ".o_scan_viewer .o_scan_box_active[data-field='invoice_date']",
        },
        {
            content: "The invoice number was not recognised: select its field",
            trigger: ".o_form_view div[name='ref'] input",
            run: "click",
        },
        {
            trigger: ".o_scan_viewer .o_scan_hint:contains('Klik op de pagina om'):contains('Factuurreferentie')",
        },
        {
            content: "Click the invoice number on the page",
            trigger: ".o_scan_viewer .o_scan_word[data-text^='INV-']",
            run: "click",
        },
        {
            content: "The field holds the number clicked",
            trigger: ".o_scan_viewer .o_scan_filled:contains('INV-')",
            run() {
                const value = document.querySelector(".o_form_view div[name='ref'] input").value;
                if (!NUMBER.test(value)) {
                    throw new Error(`The invoice number field holds "${value}".`);
                }
            },
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "Confirm",
            trigger: ".o_form_view button[name='action_post']",
            run: "click",
        },
        {
            content: "The bill is posted",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Geboekt')",
        },
    ],
});
