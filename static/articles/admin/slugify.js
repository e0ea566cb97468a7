/*
 * Slugs in the admin made the way the server makes them (articles/slugs.py): Russian and Kazakh
 * letters romanised, everything else that is not a Latin letter or digit turned into hyphens.
 * Django's prepopulated fields call the global URLify(); this replaces it after urlify.js has
 * defined it, and falls back to Django's own for fields that allow Unicode slugs.
 */
'use strict';
(function () {
    function trimHyphens(text) {
        return text.replace(/^-+|-+$/g, '');
    }

    // `letters` is the romanisation table of articles/slugs.py, handed over by the page.
    function makeSlugify(letters) {
        return function asciiSlugify(text, maxLength) {
            const romanised = Array.from(String(text).toLowerCase(), function (ch) {
                return Object.prototype.hasOwnProperty.call(letters, ch) ? letters[ch] : ch;
            }).join('');
            // eslint-disable-next-line no-control-regex
            const latin = romanised.normalize('NFKD').replace(/[^\x00-\x7f]/g, '');
            let slug = trimHyphens(latin.replace(/[^a-z0-9]+/g, '-'));
            if (maxLength && slug.length > maxLength) {
                // Cut at a word boundary when there is one in the second half.
                const cut = slug.slice(0, maxLength + 1);
                slug = cut.slice(Math.floor(maxLength / 2)).includes('-')
                    ? cut.slice(0, cut.lastIndexOf('-'))
                    : cut.slice(0, maxLength);
                slug = trimHyphens(slug);
            }
            return slug;
        };
    }

    if (typeof document !== 'undefined' && document.currentScript) {
        const asciiSlugify = makeSlugify(JSON.parse(document.currentScript.dataset.letters));
        const djangoURLify = window.URLify;
        window.URLify = function (text, maxLength, allowUnicode) {
            if (allowUnicode && djangoURLify) {
                return djangoURLify(text, maxLength, allowUnicode);
            }
            return asciiSlugify(text, maxLength);
        };
    }
    if (typeof module !== 'undefined' && module.exports) {
        module.exports = {makeSlugify: makeSlugify};
    }
})();
