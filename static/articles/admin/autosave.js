/*
 * Autosave of the story form in this browser (localStorage): a crash, a closed tab or an
 * expired session loses nothing, and the next time the story opens its unsaved text is offered
 * back. Fields are read and written by name through the form's elements, never by widget, so a
 * textarea replaced by a rich-text editor keeps working as long as the editor keeps a named form
 * element in step (they do, to be submitted); restored fields get "input" and "change" events,
 * and the form a "newsroom:restored" event, for widgets to follow.
 */
'use strict';
(function () {
    const DELAY = 800;
    const EVERY = 5000;
    // Bookkeeping, not writing: the CSRF token, the version, formset counters and row ids.
    const SKIP = /^(csrfmiddlewaretoken|opened_version|transition)$|-(TOTAL_FORMS|INITIAL_FORMS|MIN_NUM_FORMS|MAX_NUM_FORMS|id|story)$/;
    const NOT_TEXT = new Set(['file', 'submit', 'button', 'reset', 'password', 'image']);

    // The values of the form's fields by name: text as typed, checkboxes as booleans, selects as
    // [value, label] pairs so that an option the page lacks can be made again on restoring.
    function valuesOf(elements) {
        const values = {};
        Array.prototype.forEach.call(elements, function (el) {
            if (!el.name || el.disabled || SKIP.test(el.name) || NOT_TEXT.has(el.type)) {
                return;
            }
            if (el.type === 'checkbox') {
                values[el.name] = el.checked;
            } else if (el.type === 'radio') {
                if (el.checked) {
                    values[el.name] = el.value;
                }
            } else if (el.tagName === 'SELECT') {
                values[el.name] = Array.prototype.filter.call(el.options, function (o) {
                    return o.selected;
                }).map(function (o) {
                    return [o.value, o.text];
                });
            } else {
                values[el.name] = el.value;
            }
        });
        return values;
    }

    function differs(saved, current) {
        return Object.keys(saved).some(function (name) {
            return JSON.stringify(saved[name]) !== JSON.stringify(current[name]);
        });
    }

    // Puts one saved value back into the element(s) of that name; false if there are none.
    function restoreValue(elements, value, makeOption) {
        if (!elements || elements.length === 0) {
            return false;
        }
        Array.prototype.forEach.call(elements, function (el) {
            if (el.type === 'checkbox') {
                el.checked = Boolean(value);
            } else if (el.type === 'radio') {
                el.checked = el.value === value;
            } else if (el.tagName === 'SELECT') {
                const wanted = new Map(value);
                Array.prototype.forEach.call(el.options, function (o) {
                    o.selected = wanted.delete(o.value);
                });
                wanted.forEach(function (label, optionValue) {
                    el.add(makeOption(label, optionValue));
                });
            } else {
                el.value = value;
            }
        });
        return true;
    }

    function elementsNamed(form, name) {
        return Array.prototype.filter.call(form.elements, function (el) {
            return el.name === name;
        });
    }

    function setUp(box) {
        const form = box.closest('form');
        const key = box.dataset.key;
        const offeredKey = key + ':offered';
        const storage = window.localStorage;
        const baseline = valuesOf(form.elements);
        let lastStored = null;
        if (box.dataset.saved) {
            // The server says the last text from this browser was saved: nothing to offer.
            storage.removeItem(key);
        }

        function read(name) {
            try {
                return JSON.parse(storage.getItem(name));
            } catch (error) {
                return null;
            }
        }

        function store() {
            const current = valuesOf(form.elements);
            const serialized = JSON.stringify(current);
            if (serialized === lastStored) {
                return;
            }
            lastStored = serialized;
            try {
                if (differs(current, baseline)) {
                    storage.setItem(key, JSON.stringify({
                        savedAt: Date.now(),
                        version: Number(box.dataset.version),
                        fields: current,
                    }));
                } else {
                    storage.removeItem(key);
                }
            } catch (error) {
                // Storage full or disabled: the form itself is still there to be saved.
            }
        }

        function offer() {
            let entry = read(key);
            if (entry && entry.fields && differs(entry.fields, baseline)) {
                // Kept aside, so that what is typed now cannot overwrite it before the choice.
                storage.setItem(offeredKey, JSON.stringify(entry));
            } else {
                entry = read(offeredKey);
            }
            storage.removeItem(key);
            if (!entry || !entry.fields || !differs(entry.fields, baseline)) {
                storage.removeItem(offeredKey);
                return;
            }
            const when = new Date(entry.savedAt).toLocaleString(document.documentElement.lang);
            let message = box.dataset.found.replace('%(when)s', when);
            if (entry.version < Number(box.dataset.version)) {
                message += ' ' + box.dataset.savedSince;
            }
            box.querySelector('.story-autosave-message').textContent = message;
            box.hidden = false;
            box.querySelector('[data-autosave="restore"]').addEventListener('click', function () {
                restore(entry.fields);
                storage.removeItem(offeredKey);
            });
            box.querySelector('[data-autosave="discard"]').addEventListener('click', function () {
                storage.removeItem(offeredKey);
                box.hidden = true;
            });
        }

        function restore(fields) {
            const leftover = [];
            Object.keys(fields).forEach(function (name) {
                const elements = elementsNamed(form, name);
                const makeOption = function (label, value) {
                    return new Option(label, value, true, true);
                };
                if (!restoreValue(elements, fields[name], makeOption)) {
                    if (typeof fields[name] === 'string' && fields[name].trim()) {
                        leftover.push(fields[name]);
                    }
                    return;
                }
                elements.forEach(function (el) {
                    el.dispatchEvent(new Event('input', {bubbles: true}));
                    el.dispatchEvent(new Event('change', {bubbles: true}));
                });
            });
            form.dispatchEvent(new CustomEvent('newsroom:restored', {bubbles: true}));
            box.querySelectorAll('button').forEach(function (button) {
                button.hidden = true;
            });
            const message = box.querySelector('.story-autosave-message');
            message.textContent = box.dataset.restored;
            if (leftover.length) {
                const note = document.createElement('p');
                note.textContent = box.dataset.leftover;
                const text = document.createElement('textarea');
                text.readOnly = true;
                text.rows = 6;
                text.className = 'vLargeTextField';
                text.setAttribute('aria-label', box.dataset.leftover);
                text.value = leftover.join('\n\n');
                box.append(note, text);
            }
            store();
        }

        offer();
        let timer = null;
        const later = function () {
            clearTimeout(timer);
            timer = setTimeout(store, DELAY);
        };
        form.addEventListener('input', later);
        form.addEventListener('change', later);
        form.addEventListener('submit', store);
        // Widgets may change fields without events: look every few seconds as well.
        setInterval(store, EVERY);
        window.addEventListener('pagehide', store);
        document.addEventListener('visibilitychange', function () {
            if (document.visibilityState === 'hidden') {
                store();
            }
        });
    }

    if (typeof document !== 'undefined') {
        const start = function () {
            const box = document.getElementById('story-autosave');
            if (box && box.dataset.key && window.localStorage) {
                setUp(box);
            }
        };
        if (document.readyState === 'loading') {
            document.addEventListener('DOMContentLoaded', start);
        } else {
            start();
        }
    }
    if (typeof module !== 'undefined' && module.exports) {
        module.exports = {valuesOf: valuesOf, differs: differs, restoreValue: restoreValue};
    }
})();
