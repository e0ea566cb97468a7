/*
 * Suggestions of existing tags for the comma-separated tag field of the story form.
 *
 * The field stays taggit's text input (it parses commas and quotes and creates new tags); this
 * only completes the tag being typed, with names from the admin's autocomplete view. The field
 * follows the ARIA combobox pattern: arrow keys move through the suggestions, Enter takes one,
 * Escape closes the list, and a live region tells how many there are.
 */
'use strict';
(function () {
    const DELAY = 200;
    const LIMIT = 10;

    // The tag around the caret: where it starts and ends in the text, and what is typed of it
    // so far. Commas inside double quotes belong to the tag, as taggit reads them.
    function tokenAt(value, caret) {
        let start = 0;
        let quoted = false;
        for (let i = 0; i < caret; i++) {
            if (value[i] === '"') {
                quoted = !quoted;
            } else if (value[i] === ',' && !quoted) {
                start = i + 1;
            }
        }
        let end = value.length;
        for (let i = caret; i < value.length; i++) {
            if (value[i] === '"') {
                quoted = !quoted;
            } else if (value[i] === ',' && !quoted) {
                end = i;
                break;
            }
        }
        while (start < caret && /\s/.test(value[start])) {
            start++;
        }
        const query = value.slice(start, caret).replace(/^"/, '').trim();
        return {start: start, end: end, query: query};
    }

    // The tag names already in the field, in lower case, as taggit would split them.
    function tagNames(value) {
        const names = [];
        let current = '';
        let quoted = false;
        for (const ch of value) {
            if (ch === '"') {
                quoted = !quoted;
            } else if (ch === ',' && !quoted) {
                names.push(current);
                current = '';
            } else {
                current += ch;
            }
        }
        names.push(current);
        return names.map(function (name) { return name.trim().toLowerCase(); })
            .filter(Boolean);
    }

    // The field's text with the tag around the caret replaced by ``name``, and the caret after
    // it. Names with commas or spaces are quoted the way taggit writes them.
    function withTag(value, token, name) {
        const written = /[,\s]/.test(name) ? '"' + name + '"' : name;
        const before = value.slice(0, token.start);
        const after = value.slice(token.end).replace(/^\s*,?\s*/, '');
        const text = before + written + ', ' + after;
        return {value: text, caret: (before + written + ', ').length};
    }

    function setUp(input) {
        const listbox = document.createElement('ul');
        const status = document.createElement('span');
        const cache = new Map();
        let options = [];
        let active = -1;
        let timer = null;
        let controller = null;
        let token = null;

        listbox.id = input.id + '_suggestions';
        listbox.className = 'tag-suggestions-listbox';
        listbox.setAttribute('role', 'listbox');
        listbox.setAttribute('aria-label', input.dataset.listboxLabel || '');
        listbox.hidden = true;
        status.className = 'tag-suggestions-status';
        status.setAttribute('role', 'status');
        status.setAttribute('aria-live', 'polite');

        input.setAttribute('role', 'combobox');
        input.setAttribute('aria-autocomplete', 'list');
        input.setAttribute('aria-expanded', 'false');
        input.setAttribute('aria-controls', listbox.id);
        // The list opens under the field, positioned against the field's row, which the field
        // stays in: moving the field would upset the admin's label and field layout.
        input.parentNode.classList.add('tag-suggestions-container');
        const row = input.closest('.form-row');
        if (row) {
            row.classList.add('tag-suggestions-row');
        }
        input.after(listbox, status);

        function close() {
            listbox.hidden = true;
            listbox.replaceChildren();
            status.textContent = '';
            options = [];
            active = -1;
            input.setAttribute('aria-expanded', 'false');
            input.removeAttribute('aria-activedescendant');
        }

        function highlight(index) {
            options.forEach(function (option, i) {
                option.setAttribute('aria-selected', i === index ? 'true' : 'false');
            });
            active = index;
            if (index < 0) {
                input.removeAttribute('aria-activedescendant');
                return;
            }
            input.setAttribute('aria-activedescendant', options[index].id);
            // Keep the option in view inside the list without scrolling the page.
            const option = options[index];
            if (option.offsetTop < listbox.scrollTop) {
                listbox.scrollTop = option.offsetTop;
            } else if (option.offsetTop + option.offsetHeight >
                    listbox.scrollTop + listbox.clientHeight) {
                listbox.scrollTop = option.offsetTop + option.offsetHeight - listbox.clientHeight;
            }
        }

        function choose(index) {
            const name = options[index].textContent;
            const result = withTag(input.value, token, name);
            input.value = result.value;
            input.setSelectionRange(result.caret, result.caret);
            close();
            input.focus();
        }

        function show(names) {
            close();
            if (!names.length) {
                status.textContent = input.dataset.noResults || '';
                return;
            }
            options = names.map(function (name, i) {
                const option = document.createElement('li');
                option.id = listbox.id + '_' + i;
                option.setAttribute('role', 'option');
                option.setAttribute('aria-selected', 'false');
                option.textContent = name;
                // Keep the focus in the field while clicking.
                option.addEventListener('mousedown', function (event) {
                    event.preventDefault();
                });
                option.addEventListener('click', function () { choose(i); });
                return option;
            });
            listbox.replaceChildren(...options);
            listbox.style.left = input.offsetLeft + 'px';
            listbox.style.top = (input.offsetTop + input.offsetHeight) + 'px';
            listbox.style.minWidth = input.offsetWidth + 'px';
            listbox.hidden = false;
            input.setAttribute('aria-expanded', 'true');
            status.textContent = (input.dataset.results || '%(count)s')
                .replace('%(count)s', String(names.length));
        }

        function suggest(names) {
            const taken = new Set(tagNames(
                input.value.slice(0, token.start) + input.value.slice(token.end)
            ));
            show(names.filter(function (name) {
                return !taken.has(name.toLowerCase());
            }).slice(0, LIMIT));
        }

        function fetchNames(query) {
            if (cache.has(query)) {
                return Promise.resolve(cache.get(query));
            }
            if (controller) {
                controller.abort();
            }
            controller = new AbortController();
            const params = new URLSearchParams({
                app_label: input.dataset.appLabel,
                model_name: input.dataset.modelName,
                field_name: input.dataset.fieldName,
                term: query
            });
            return fetch(input.dataset.suggestionsUrl + '?' + params, {
                credentials: 'same-origin',
                headers: {Accept: 'application/json'},
                signal: controller.signal
            }).then(function (response) {
                if (!response.ok) {
                    throw new Error(response.statusText);
                }
                return response.json();
            }).then(function (data) {
                const names = data.results.map(function (result) { return result.text; });
                cache.set(query, names);
                return names;
            });
        }

        function update() {
            token = tokenAt(input.value, input.selectionStart);
            const query = token.query;
            clearTimeout(timer);
            if (!query) {
                close();
                return;
            }
            timer = setTimeout(function () {
                fetchNames(query).then(function (names) {
                    // Show the answer only if the field still asks the same question.
                    if (document.activeElement === input &&
                            tokenAt(input.value, input.selectionStart).query === query) {
                        suggest(names);
                    }
                }).catch(function (error) {
                    if (error.name !== 'AbortError') {
                        close();
                    }
                });
            }, DELAY);
        }

        input.addEventListener('input', update);
        input.addEventListener('blur', function () {
            clearTimeout(timer);
            close();
        });
        input.addEventListener('keydown', function (event) {
            const open = !listbox.hidden;
            switch (event.key) {
            case 'ArrowDown':
                event.preventDefault();
                if (open) {
                    highlight((active + 1) % options.length);
                } else {
                    update();
                }
                break;
            case 'ArrowUp':
                if (open) {
                    event.preventDefault();
                    highlight(active <= 0 ? options.length - 1 : active - 1);
                }
                break;
            case 'Enter':
                // Taking a suggestion must not submit the story.
                if (open) {
                    event.preventDefault();
                    if (active >= 0) {
                        choose(active);
                    } else {
                        close();
                    }
                }
                break;
            case 'Escape':
                if (open) {
                    event.preventDefault();
                    close();
                }
                break;
            case 'Tab':
                close();
                break;
            }
        });
    }

    if (typeof document !== 'undefined') {
        const start = function () {
            document.querySelectorAll('input.tag-suggestions[data-suggestions-url]')
                .forEach(setUp);
        };
        if (document.readyState === 'loading') {
            document.addEventListener('DOMContentLoaded', start);
        } else {
            start();
        }
    }
    if (typeof module !== 'undefined' && module.exports) {
        module.exports = {tokenAt: tokenAt, tagNames: tagNames, withTag: withTag};
    }
})();
