"use strict";
// Select2, behind Django's autocomplete fields, draws a combobox and search boxes without a
// name: each takes the field's own label here. A single choice is named by the label and the
// choice; an empty one was nameless. Select2 4.0 also puts its "clear all" cross inside the
// list of chosen items, where only list items belong: it moves just before the list.
// (widgets.css gives the highlighted result a colour that white text can be read on.)
// Runs after Django's autocomplete.js, whose ready handler and formset:added listener set the
// widgets up first.
{
  const $ = django.jQuery;
  const named = new WeakSet();

  function labelId(select) {
    const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
    if (!label) {
      return null;
    }
    if (!label.id) {
      label.id = `${select.id}-label`;
    }
    return label.id;
  }

  function keepClearOutOfList(list) {
    const move = () => {
      for (const clear of list.querySelectorAll(":scope > .select2-selection__clear")) {
        list.before(clear);
      }
    };
    move();
    new MutationObserver(move).observe(list, {childList: true});
  }

  function name(select) {
    const select2 = $(select).data("select2");
    const label = labelId(select);
    if (!select2 || !label || named.has(select)) {
      return;
    }
    named.add(select);
    const selection = select2.$selection[0];
    const rendered = selection.querySelector(".select2-selection__rendered");
    if (select.multiple) {
      selection.setAttribute("aria-labelledby", label);
      const search = selection.querySelector(".select2-search__field");
      if (search) {
        search.setAttribute("aria-labelledby", label);
      }
      keepClearOutOfList(rendered);
    } else {
      // The choice shown is a read-only textbox of its own: it is named by the label too.
      selection.setAttribute("aria-labelledby", `${label} ${rendered.id}`);
      rendered.setAttribute("aria-labelledby", label);
    }
  }

  function nameAll(root) {
    for (const select of root.querySelectorAll("select.admin-autocomplete")) {
      name(select);
    }
  }

  $(() => nameAll(document));
  document.addEventListener("formset:added", (event) => nameAll(event.target));

  // The search box of a single choice lives in the dropdown, made when it first opens. An
  // open combobox names the list it controls (Select2 4.0 says aria-owns, of ARIA 1.0).
  $(document).on("select2:open", "select.admin-autocomplete", function () {
    const label = labelId(this);
    const select2 = $(this).data("select2");
    if (!select2) {
      return;
    }
    if (label) {
      select2.$dropdown.find(".select2-search__field").attr("aria-labelledby", label);
    }
    const results = select2.$dropdown.find(".select2-results__options").attr("id");
    if (results) {
      select2.$selection.attr("aria-controls", results);
    }
  });
  $(document).on("select2:close", "select.admin-autocomplete", function () {
    const select2 = $(this).data("select2");
    if (select2) {
      select2.$selection.removeAttr("aria-controls");
    }
  });
}
