import { Component, onWillStart, onWillUpdateProps, useExternalListener, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { deserializeDate } from "@web/core/l10n/dates";
import { useService } from "@web/core/utils/hooks";

/** Confidence from which a box is green, and from which it is orange. */
const SURE = 0.8;
const DOUBTFUL = 0.5;

/**
 * The bill's document beside the bill: its pages drawn on the server, a box
 * around each recognised value (coloured by confidence), the box of a field
 * marked while the pointer is on that field, and, with a field selected,
 * a click on a word of the page fills that field with the value there
 * (dates and amounts parsed on the server as recognition parses them).
 */
export class ScanDocumentViewer extends Component {
    static template = "l10n_nl_scan_herken.DocumentViewer";
    static props = { record: Object };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.state = useState({ data: null, hovered: null, selected: null, filled: null });
        onWillStart(() => this.load(this.props.record));
        onWillUpdateProps((next) => {
            if (next.record.resId !== this.loadedId) {
                return this.load(next.record);
            }
        });
        useExternalListener(document, "focusin", this.onFocusIn.bind(this));
        useExternalListener(document, "mouseover", this.onMouseOver.bind(this));
    }

    async load(record) {
        this.loadedId = record.resId;
        this.state.selected = null;
        this.state.filled = null;
        this.state.data = record.resId
            ? await this.orm.call("account.move", "l10n_nl_scan_viewer_data", [[record.resId]])
            : { pages: [] };
    }

    // ---- What the bookkeeper points at on the bill ----------------------

    /** The bill field (or line field) an element of the form belongs to. */
    fieldOf(el) {
        if (!el || el.closest(".o_scan_viewer")) {
            return null;
        }
        const widget = el.closest(".o_field_widget[name], .o_form_label[for], td[name], th[data-name]");
        if (!widget || !el.closest(".o_form_view")) {
            return null;
        }
        if (el.closest(".o_readonly_modifier")) {
            return null;
        }
        const row = widget.closest(".o_data_row");
        if (row) {
            const cell = widget.closest("[name]");
            return cell ? { name: cell.getAttribute("name"), rowId: row.dataset.id } : null;
        }
        if (widget.matches(".o_form_label")) {
            const input = document.getElementById(widget.getAttribute("for"));
            const owner = input && input.closest(".o_field_widget[name]");
            return owner ? { name: owner.getAttribute("name") } : null;
        }
        return { name: widget.getAttribute("name") };
    }

    onMouseOver(ev) {
        const field = this.fieldOf(ev.target);
        const name = field && !field.rowId ? field.name : null;
        if (name !== this.state.hovered) {
            this.state.hovered = name;
        }
    }

    onFocusIn(ev) {
        const field = this.fieldOf(ev.target);
        if (!field || !this.state.data) {
            return;
        }
        const key = field.rowId ? `line.${field.name}` : field.name;
        const kind = this.state.data.kinds && this.state.data.kinds[key];
        if (!kind) {
            return;
        }
        const record = field.rowId ? this.lineRecord(field.rowId) : this.props.record;
        if (!record || !(field.name in record.fields)) {
            return;
        }
        this.state.selected = {
            name: field.name, rowId: field.rowId, kind,
            label: this.labelOf(ev.target, field) || record.fields[field.name].string,
        };
    }

    /** The label the form shows for a field (a view may rename it: "Factuurreferentie"). */
    labelOf(el, field) {
        let label;
        if (field.rowId) {
            const list = el.closest(".o_list_renderer");
            label = list && list.querySelector(`th[data-name='${field.name}']`);
        } else if (el.id) {
            label = document.querySelector(`.o_form_view label.o_form_label[for='${el.id}']`);
        }
        return label ? label.textContent.trim() : "";
    }

    lineRecord(rowId) {
        for (const value of Object.values(this.props.record.data)) {
            const found = value && value.records && value.records.find((line) => line.id === rowId);
            if (found) {
                return found;
            }
        }
        return null;
    }

    // ---- The page ---------------------------------------------------------

    boxStyle(page, bbox) {
        const [x0, top, x1, bottom] = bbox;
        const pct = (value, of) => `${((100 * value) / of).toFixed(3)}%`;
        return `left:${pct(x0, page.width)};top:${pct(top, page.height)};width:${pct(x1 - x0, page.width)};height:${pct(bottom - top, page.height)}`;
    }

    marksOf(page) {
        return (this.state.data.marks || []).filter((mark) => mark.page === page.number);
    }

    markClass(mark) {
        const level = mark.confidence >= SURE ? "sure" : mark.confidence >= DOUBTFUL ? "doubtful" : "unsure";
        const active = [this.state.hovered, this.state.selected && !this.state.selected.rowId && this.state.selected.name];
        return `o_scan_box o_scan_box_${level}` + (active.includes(mark.field) ? " o_scan_box_active" : "");
    }

    markTitle(mark) {
        return _t("%(field)s: %(value)s (confidence %(percent)s %%)", {
            field: mark.label,
            value: mark.value,
            percent: Math.round(mark.confidence * 100),
        });
    }

    /** A click on a box: the words inside it, the last one first (an amount's number, a date's year). */
    onClickMark(page, mark) {
        const inside = page.words.filter(
            (w) => (w[1] + w[3]) / 2 >= mark.bbox[0] && (w[1] + w[3]) / 2 <= mark.bbox[2]
                && (w[2] + w[4]) / 2 >= mark.bbox[1] && (w[2] + w[4]) / 2 <= mark.bbox[3]
        );
        if (!this.state.selected) {
            const input = document.querySelector(`.o_form_view .o_field_widget[name='${mark.field}'] input`);
            if (input) {
                input.focus();
            }
            return;
        }
        if (inside.length) {
            return this.onClickWord(page, inside[inside.length - 1]);
        }
    }

    async onClickWord(page, word) {
        const selected = this.state.selected;
        if (!selected) {
            this.notification.add(_t("Click in a field of the bill first, then on its value on the page."), {
                type: "info",
            });
            return;
        }
        const [text, , , , , line, index] = word;
        const picked = await this.orm.call("account.move", "l10n_nl_scan_pick", [
            [this.props.record.resId], page.index, line, index, selected.kind,
        ]);
        if (!picked) {
            const what = { date: _t("a date"), amount: _t("an amount"), text: _t("text") }[selected.kind];
            this.notification.add(_t("“%(text)s” is not %(what)s.", { text, what }), { type: "warning" });
            return;
        }
        const record = selected.rowId ? this.lineRecord(selected.rowId) : this.props.record;
        if (!record) {
            return;
        }
        const value = selected.kind === "date" ? deserializeDate(picked.value) : picked.value;
        const changes = { [selected.name]: value };
        if (!selected.rowId && "l10n_nl_scan_picked" in this.props.record.fields) {
            // Remembered for learning: which field was filled from which words.
            const picks = { ...(this.props.record.data.l10n_nl_scan_picked || {}) };
            picks[selected.name] = { page: picked.page, text: picked.text, bbox: picked.bbox, value: picked.value };
            await this.props.record.update({ l10n_nl_scan_picked: picks });
        }
        await record.update(changes);
        this.state.filled = { label: selected.label, text: picked.text };
    }

    get pickHint() {
        return _t("Click on the page to fill %(field)s.", { field: this.state.selected.label });
    }

    wordTitle(word) {
        return this.state.selected
            ? _t("Fill %(field)s with “%(text)s”", { field: this.state.selected.label, text: word[0] })
            : word[0];
    }
}
