// Hints while writing a story: length of the text and headline, what is missing, and the tags
// and newsmakers the text mentions (asked of the admin's suggestions endpoint).
;(() => {
  const WORDS_PER_MINUTE = 180
  const SEARCH_LENGTH = 60
  const SOCIAL_LENGTH = 70

  function format(text, values) {
    return (text || "").replace(/%\((\w+)\)s/g, (_, name) => values[name] ?? "")
  }

  function element(tag, props = {}, children = []) {
    const el = document.createElement(tag)
    Object.assign(el, props)
    el.append(...children)
    return el
  }

  function readJSON(node, name) {
    try {
      return JSON.parse(node.getAttribute(name) || "{}") || {}
    } catch {
      return {}
    }
  }

  function bodyDocument(html) {
    // DOMParser runs no script and loads nothing: a safe way to read the body's text.
    return new DOMParser().parseFromString(html || "", "text/html")
  }

  function init() {
    const body = document.querySelector("textarea#id_body[data-strings]")
    if (!body) return
    const strings = readJSON(body, "data-strings")
    const urls = readJSON(body, "data-urls")
    const headline = document.getElementById("id_headline")
    const lede = document.getElementById("id_lede")
    const image = document.getElementById("id_image")
    const imageAlt = document.getElementById("id_image_alt")
    const tags = document.getElementById("id_tags")

    const list = element("ul", { className: "writing-hints-list" })
    const suggestButton = element("button", {
      type: "button",
      className: "button",
      textContent: strings.suggest,
    })
    const suggestions = element("div", { className: "writing-suggestions" })
    suggestions.setAttribute("aria-live", "polite")
    const heading = element("h2", { textContent: strings.hints, id: "writing-hints-title" })
    const panel = element("section", { className: "writing-hints", id: "writing-hints" }, [
      heading,
      list,
      element("p", {}, [suggestButton]),
      suggestions,
    ])
    panel.setAttribute("aria-labelledby", heading.id)
    const row = body.closest(".form-row") || body.parentElement
    row.after(panel)

    function hasImage() {
      return Boolean(image?.files?.length || image?.closest(".form-row")?.querySelector("a[href]"))
    }

    function update() {
      const doc = bodyDocument(body.value)
      const quotes = readJSON(body, "data-quotes")
      const figures = [...doc.querySelectorAll('figure[data-embed="quote"]')]
      // The quotes are read too: their words count.
      const quoted = figures.map((figure) => quotes[figure.getAttribute("data-id")]?.text || "")
      const text = [doc.body.textContent || "", ...quoted].join(" ")
      const words = text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length
      const minutes = Math.max(1, Math.round(words / WORDS_PER_MINUTE))
      const items = [format(strings.words, { words, minutes })]
      const warnings = []
      const length = headline ? headline.value.trim().length : 0
      const headlineLine = format(strings.headline, { count: length })
      if (length > SOCIAL_LENGTH) warnings.push(`${headlineLine} ${strings.headlineSocial}`)
      else if (length > SEARCH_LENGTH) warnings.push(`${headlineLine} ${strings.headlineSearch}`)
      else items.push(headlineLine)
      if (lede && !lede.value.trim()) warnings.push(strings.noLede)
      if (imageAlt && hasImage() && !imageAlt.value.trim()) warnings.push(strings.noAlt)
      const anonymous = figures.some((figure) => {
        const quote = quotes[figure.getAttribute("data-id")]
        return quote && !quote.speaker
      })
      if (anonymous) warnings.push(strings.quoteNoSpeaker)
      list.replaceChildren(
        ...items.map((item) => element("li", { textContent: item })),
        ...warnings.map((item) => element("li", { textContent: item, className: "writing-warning" })),
      )
    }

    function addTag(name) {
      const current = tags.value
        .split(",")
        .map((tag) => tag.trim())
        .filter(Boolean)
      if (!current.some((tag) => tag.toLowerCase() === name.toLowerCase())) current.push(name)
      tags.value = current.join(", ")
      tags.dispatchEvent(new Event("input", { bubbles: true }))
    }

    function suggestionList(label, items, className) {
      return element("div", { className }, [
        element("p", { textContent: label }),
        element("ul", {}, items),
      ])
    }

    async function suggest() {
      const form = new FormData()
      form.set("headline", headline?.value || "")
      form.set("lede", lede?.value || "")
      form.set("body", body.value)
      form.set("tags", tags?.value || "")
      suggestButton.disabled = true
      try {
        const response = await fetch(urls.suggestions, {
          method: "POST",
          body: form,
          credentials: "same-origin",
          headers: {
            "X-CSRFToken": document.querySelector("input[name=csrfmiddlewaretoken]")?.value || "",
          },
        })
        if (!response.ok) return
        const data = await response.json()
        const parts = []
        if (data.tags.length && tags) {
          parts.push(
            suggestionList(
              strings.suggestedTags,
              data.tags.map((name) => {
                const button = element("button", {
                  type: "button",
                  className: "button suggestion-tag",
                  textContent: name,
                })
                button.addEventListener("click", () => {
                  addTag(name)
                  button.disabled = true
                  button.textContent = format(strings.added, { name })
                })
                return element("li", {}, [button])
              }),
              "writing-suggested-tags",
            ),
          )
        }
        if (data.newsmakers.length) {
          parts.push(
            suggestionList(
              strings.suggestedPeople,
              data.newsmakers.map((person) => {
                const button = element("button", {
                  type: "button",
                  className: "button suggestion-newsmaker",
                  textContent: person.role ? `${person.name} (${person.role})` : person.name,
                  disabled: !urls.quotes,
                  title: urls.quotes ? "" : strings.saveFirst,
                })
                button.addEventListener("click", () => {
                  body.dispatchEvent(
                    new CustomEvent("newsroom:quote-by", { detail: { id: person.id, name: person.name } }),
                  )
                })
                return element("li", {}, [button])
              }),
              "writing-suggested-newsmakers",
            ),
          )
        }
        if (!parts.length) parts.push(element("p", { textContent: strings.nothing }))
        suggestions.replaceChildren(...parts)
      } finally {
        suggestButton.disabled = false
      }
    }

    suggestButton.addEventListener("click", suggest)
    for (const field of [body, headline, lede, imageAlt, image]) {
      field?.addEventListener("input", update)
      field?.addEventListener("change", update)
    }
    update()
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init)
  else init()
})()
