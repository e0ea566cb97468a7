/*
 * Slugs in the admin made the way the server makes them (articles/slugs.py): Russian and Kazakh
 * letters romanised, everything else that is not a Latin letter or digit turned into hyphens.
 * Django's prepopulated fields call the global URLify(); this replaces it after urlify.js has
 * defined it, and falls back to Django's own for fields that allow Unicode slugs.
 */
'use strict';
(function () {
    // Keep in step with CYRILLIC in articles/slugs.py (a test compares the two).
    const CYRILLIC = {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya",
        "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
        "є": "ye", "ї": "yi", "ґ": "g", "ў": "u"
    };

    function trimHyphens(text) {
        return text.replace(/^-+|-+$/g, '');
    }

    function asciiSlugify(text, maxLength) {
        const romanised = Array.from(String(text).toLowerCase(), function (ch) {
            return Object.prototype.hasOwnProperty.call(CYRILLIC, ch) ? CYRILLIC[ch] : ch;
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
    }

    if (typeof window !== 'undefined') {
        const djangoURLify = window.URLify;
        window.URLify = function (text, maxLength, allowUnicode) {
            if (allowUnicode && djangoURLify) {
                return djangoURLify(text, maxLength, allowUnicode);
            }
            return asciiSlugify(text, maxLength);
        };
    }
    if (typeof module !== 'undefined' && module.exports) {
        module.exports = {asciiSlugify: asciiSlugify, CYRILLIC: CYRILLIC};
    }
})();
