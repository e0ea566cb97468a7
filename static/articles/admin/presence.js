/*
 * The story form's heartbeat: every few seconds it tells the server this page is open, and
 * shows what the server answers: who else has the story open, and whether a newer version was
 * saved meanwhile. Closing the page says goodbye, so others stop seeing the name at once. The
 * messages come translated from the server; this script only puts them on the page.
 */
'use strict';
(function () {
    function setUp(box) {
        const form = box.closest('form');
        const token = form.querySelector('[name=csrfmiddlewaretoken]').value;
        const interval = Number(box.dataset.interval) || 10000;
        let stopped = false;

        function body(extra) {
            const data = new FormData();
            data.append('csrfmiddlewaretoken', token);
            data.append('opened_version', box.dataset.version);
            Object.keys(extra).forEach(function (name) {
                data.append(name, extra[name]);
            });
            return data;
        }

        function show(lines) {
            box.replaceChildren.apply(box, lines.filter(Boolean).map(function (line) {
                const p = document.createElement('p');
                p.textContent = line;
                return p;
            }));
        }

        function beat() {
            if (stopped) {
                return;
            }
            fetch(box.dataset.url, {method: 'POST', body: body({}), credentials: 'same-origin'})
                .then(function (response) {
                    // Signed out (the admin answers with its login page): say so, and stop.
                    if (response.redirected || response.status === 403) {
                        stopped = true;
                        show([box.dataset.expired]);
                        return null;
                    }
                    return response.ok ? response.json() : null;
                })
                .then(function (answer) {
                    if (answer) {
                        show([answer.others, answer.newer]);
                    }
                })
                .catch(function () {
                    // Offline for a moment: try again at the next beat.
                });
        }

        setInterval(beat, interval);
        window.addEventListener('pagehide', function () {
            if (navigator.sendBeacon) {
                navigator.sendBeacon(box.dataset.url, body({leave: '1'}));
            }
        });
    }

    const start = function () {
        const box = document.getElementById('story-presence');
        if (box && box.dataset.url && window.fetch) {
            setUp(box);
        }
    };
    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
})();
