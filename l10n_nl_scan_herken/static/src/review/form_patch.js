import { Component, xml } from "@odoo/owl";
import { AttachmentView } from "@mail/core/common/attachment_view";
import { registry } from "@web/core/registry";
import { SIZES } from "@web/core/ui/ui_service";
import { patch } from "@web/core/utils/patch";
import { append, createElement, setAttributes } from "@web/core/utils/xml";
import { FormRenderer } from "@web/views/form/form_renderer";
import { ScanDocumentViewer } from "./document_viewer";

/** Whether a form shows an XML e-invoice without a PDF: a rendering of the XML stands beside it. */
function hasEinvoiceView(record) {
    return record && record.resModel === "account.move" && Boolean(record.data.l10n_nl_scan_einvoice_view);
}

/** Whether a form shows a bill whose document scan en herken keeps the words of. */
function hasScanPages(record) {
    return record && record.resModel === "account.move" && Boolean(record.data.l10n_nl_scan_has_pages);
}

/**
 * The preview beside the form: the review screen for a bill scan en herken
 * read, Odoo's own attachment view for everything else.
 */
export class ScanAttachmentPreview extends Component {
    static template = xml`
        <ScanDocumentViewer t-if="useScan" record="props.record"/>
        <iframe t-elif="useEinvoice" class="o_scan_einvoice_view w-100 h-100 border-0 bg-white"
                t-att-src="'/l10n_nl_scan_herken/einvoice/' + props.record.resId"/>
        <AttachmentView t-else="" threadId="props.threadId" threadModel="props.threadModel"/>`;
    static components = { AttachmentView, ScanDocumentViewer };
    static props = ["threadId", "threadModel", "record"];

    get useScan() {
        return hasScanPages(this.props.record);
    }

    get useEinvoice() {
        return hasEinvoiceView(this.props.record);
    }
}

registry.category("form_compilers").add(
    "attachment_preview_compiler",
    {
        selector: "div.o_attachment_preview",
        fn: () => {
            const hook = createElement("div");
            hook.classList.add("o_attachment_preview");
            setAttributes(hook, {
                "t-att-class": "{'o_scan_preview': __comp__.l10nNlScanPages()}",
            });
            const preview = createElement("t");
            setAttributes(preview, {
                "t-component": "__comp__.mailComponents.ScanAttachmentPreview",
                threadId: "__comp__.props.record.resId or undefined",
                threadModel: "__comp__.props.record.resModel",
                record: "__comp__.props.record",
            });
            append(hook, preview);
            return hook;
        },
    },
    { force: true }
);

patch(FormRenderer.prototype, {
    setup() {
        super.setup();
        this.mailComponents = { ...this.mailComponents, ScanAttachmentPreview };
    },
    l10nNlScanPages() {
        return hasScanPages(this.props.record) || hasEinvoiceView(this.props.record);
    },
    /**
     * A scanned bill shows its document beside the form from 1200 px on; an
     * XML e-invoice (no file Odoo would preview) its rendering.
     */
    mailLayout(hasAttachmentContainer) {
        const layout = super.mailLayout(hasAttachmentContainer);
        if (
            ["BOTTOM_CHATTER", "SIDE_CHATTER"].includes(layout) &&
            hasAttachmentContainer &&
            this.uiService.size >= SIZES.XL &&
            this.l10nNlScanPages()
        ) {
            return "COMBO";
        }
        return layout;
    },
});
