// The story body editor's own extensions: the quote block, a reference to a Quote of the story
// stored as <figure data-embed="quote" data-id="N"></figure> and shown here with its text and
// speaker (the dialog saves the quote through the story admin's quote endpoint); and the
// clean-up of text pasted from Word and Google Docs.
import { Extension, Node, Plugin } from "django-prose-editor/editor"

// Pasted markup says bold and italic in style attributes, which the editor cannot read under
// the site's Content-Security-Policy (no inline styles; even parsing them reports a violation):
// they are renamed before the markup is parsed, then turned into <strong> and <em>. Google Docs'
// wrapping <b style="font-weight:normal"> goes (else everything would turn bold), and Word's
// own tags. DOMParser documents are inert: nothing in them loads or runs.
export function cleanPastedHTML(html) {
  const renamed = html
    .replace(/<style[\s\S]*?<\/style\s*>/gi, "")
    .replace(/<[^>]+>/g, (tag) => tag.replace(/\sstyle\s*=/gi, " data-pasted-style="))
  const doc = new DOMParser().parseFromString(renamed, "text/html")
  for (const node of doc.querySelectorAll("o\\:p, meta, link, xml")) node.remove()
  for (const node of doc.querySelectorAll("[data-pasted-style]")) {
    const style = node.getAttribute("data-pasted-style").toLowerCase()
    node.removeAttribute("data-pasted-style")
    if (/font-weight\s*:\s*(normal|[1-4]00)\b/.test(style) && /^(B|STRONG)$/.test(node.tagName)) {
      node.replaceWith(...node.childNodes)
      continue
    }
    const wrappers = []
    if (/font-weight\s*:\s*(bold|bolder|[6-9]00)\b/.test(style)) wrappers.push("strong")
    if (/font-style\s*:\s*italic/.test(style)) wrappers.push("em")
    for (const tag of wrappers) {
      const wrapper = doc.createElement(tag)
      wrapper.append(...node.childNodes)
      node.append(wrapper)
    }
  }
  return doc.body.innerHTML
}

export const NewsroomPaste = Extension.create({
  name: "newsroomPaste",
  addProseMirrorPlugins() {
    return [new Plugin({ props: { transformPastedHTML: cleanPastedHTML } })]
  },
})

const stores = new WeakMap()

// The story's quotes, endpoints and strings travel on the body's textarea.
function store(editor) {
  const root = editor.options.element
  if (stores.has(root)) return stores.get(root)
  const textarea = root.querySelector("textarea[data-quotes]")
  const read = (name, fallback) => {
    try {
      return JSON.parse(textarea?.getAttribute(name) || "null") || fallback
    } catch {
      return fallback
    }
  }
  const data = {
    textarea,
    quotes: read("data-quotes", {}),
    urls: read("data-urls", {}),
    strings: read("data-strings", {}),
    save() {
      // The hints read the quotes from here too.
      textarea?.setAttribute("data-quotes", JSON.stringify(this.quotes))
      textarea?.dispatchEvent(new Event("input", { bubbles: true }))
    },
  }
  stores.set(root, data)
  return data
}

function element(tag, props = {}, children = []) {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) {
    if (key === "dataset") Object.assign(el.dataset, value)
    else if (key in el) el[key] = value
    else el.setAttribute(key, value)
  }
  el.append(...children)
  return el
}

function csrfToken() {
  return document.querySelector("input[name=csrfmiddlewaretoken]")?.value || ""
}

function format(text, values) {
  return text.replace(/%\((\w+)\)s/g, (_, name) => values[name] ?? "")
}

// A text input offering the admin's autocomplete results for a field of Quote.
function lookupInput(name, label, urls, value, id) {
  const list = element("datalist", { id: `quote-dialog-${name}-options` })
  const input = element("input", {
    type: "text",
    name,
    value: value || "",
    autocomplete: "off",
    id: `quote-dialog-${name}`,
  })
  input.setAttribute("list", list.id)
  input.dataset.chosen = id ? String(id) : ""
  const known = new Map(value && id ? [[value, String(id)]] : [])
  let timer = null
  input.addEventListener("input", () => {
    input.dataset.chosen = known.get(input.value) || ""
    input.dispatchEvent(new CustomEvent("lookup:changed"))
    clearTimeout(timer)
    const term = input.value.trim()
    if (term.length < 2 || !urls.autocomplete) return
    timer = setTimeout(async () => {
      const query = new URLSearchParams({
        app_label: "articles",
        model_name: "quote",
        field_name: name,
        term,
      })
      const response = await fetch(`${urls.autocomplete}?${query}`, {
        credentials: "same-origin",
      })
      if (!response.ok) return
      const { results } = await response.json()
      list.replaceChildren(
        ...results.map((result) => {
          known.set(result.text, String(result.id))
          return element("option", { value: result.text })
        }),
      )
      input.dataset.chosen = known.get(input.value) || ""
      input.dispatchEvent(new CustomEvent("lookup:changed"))
    }, 200)
  })
  const wrapper = element("p", {}, [
    element("label", { htmlFor: input.id, textContent: label }),
    input,
    list,
  ])
  return { wrapper, input }
}

// The dialog asking for a quote; resolves with the saved quote, or null when cancelled.
export function openQuoteDialog(editor, quote, preset = {}) {
  const { urls, strings, quotes } = store(editor)
  return new Promise((resolve) => {
    const text = element("textarea", {
      name: "text",
      id: "quote-dialog-text",
      rows: 4,
      required: true,
      value: quote?.text || "",
    })
    const speaker = lookupInput(
      "speaker",
      strings.speaker,
      urls,
      quote?.speaker || preset.speaker || "",
      quote?.speaker_id || preset.speaker_id,
    )
    const newSpeaker = element("p", { className: "help quote-dialog-new", hidden: true })
    const updateNew = () => {
      const name = speaker.input.value.trim()
      newSpeaker.hidden = !name || Boolean(speaker.input.dataset.chosen)
      newSpeaker.textContent = format(strings.newSpeaker || "", { name })
    }
    speaker.input.addEventListener("lookup:changed", updateNew)
    const role = element("input", { type: "text", name: "role", id: "quote-dialog-role", value: quote?.role || "" })
    const context = element("input", { type: "text", name: "context", id: "quote-dialog-context", value: quote?.context || "" })
    const source = lookupInput("source", strings.source, urls, quote?.source, quote?.source_id)
    const errors = element("p", { className: "errornote", hidden: true, role: "alert" })
    const save = element("button", { type: "submit", className: "button default", textContent: strings.save })
    const cancel = element("button", { type: "button", className: "button", textContent: strings.cancel })
    const form = element("form", { method: "dialog", className: "quote-dialog-form" }, [
      element("h2", { textContent: strings.dialogTitle }),
      errors,
      element("p", {}, [element("label", { htmlFor: text.id, textContent: strings.text }), text]),
      speaker.wrapper,
      newSpeaker,
      element("p", {}, [element("label", { htmlFor: role.id, textContent: strings.role }), role]),
      element("p", {}, [element("label", { htmlFor: context.id, textContent: strings.context }), context]),
      source.wrapper,
      element("p", { className: "quote-dialog-buttons" }, [save, cancel]),
    ])
    const dialog = element("dialog", { className: "quote-dialog" }, [form])
    dialog.setAttribute("aria-labelledby", "quote-dialog-title")
    form.querySelector("h2").id = "quote-dialog-title"
    document.body.append(dialog)
    const close = (result) => {
      dialog.close()
      dialog.remove()
      resolve(result)
    }
    cancel.addEventListener("click", () => close(null))
    dialog.addEventListener("cancel", () => close(null))
    form.addEventListener("submit", async (event) => {
      event.preventDefault()
      const body = new FormData()
      body.set("text", text.value)
      body.set("speaker", speaker.input.dataset.chosen || "")
      body.set("new_speaker", speaker.input.dataset.chosen ? "" : speaker.input.value)
      body.set("role", role.value)
      body.set("context", context.value)
      body.set("source", source.input.dataset.chosen || "")
      const url = quote ? `${urls.quotes}${quote.id}/` : urls.quotes
      save.disabled = true
      try {
        const response = await fetch(url, {
          method: "POST",
          body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
        })
        const data = await response.json().catch(() => ({}))
        if (!response.ok) {
          const messages = Object.values(data.errors || {}).flat()
          errors.textContent = `${strings.failed} ${messages.join(" ") || response.status}`
          errors.hidden = false
          return
        }
        quotes[String(data.id)] = data
        store(editor).save()
        close(data)
      } catch (error) {
        errors.textContent = `${strings.failed} ${error}`
        errors.hidden = false
      } finally {
        save.disabled = false
      }
    })
    updateNew()
    dialog.showModal()
    text.focus()
  })
}

export async function insertQuote(editor, preset = {}) {
  const saved = await openQuoteDialog(editor, null, preset)
  if (saved) editor.chain().focus().insertNewsroomQuote(saved.id).run()
}

export const NewsroomQuote = Node.create({
  name: "newsroomQuote",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    return {
      id: {
        default: null,
        parseHTML: (el) => el.getAttribute("data-id"),
        renderHTML: (attrs) => ({ "data-id": attrs.id }),
      },
    }
  },

  parseHTML() {
    return [{ tag: 'figure[data-embed="quote"]' }]
  },

  renderHTML({ HTMLAttributes }) {
    return ["figure", { "data-embed": "quote", ...HTMLAttributes }]
  },

  addCommands() {
    return {
      insertNewsroomQuote:
        (id) =>
        ({ commands }) =>
          commands.insertContent({ type: this.name, attrs: { id: String(id) } }),
    }
  },

  onCreate() {
    const { textarea } = store(this.editor)
    // The editing surface is a text box: it takes its name and help from the field's.
    const label = textarea?.id && document.querySelector(`label[for="${textarea.id}"]`)
    const surface = this.editor.view.dom
    if (label) surface.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim())
    const help = textarea?.getAttribute("aria-describedby")
    if (help) surface.setAttribute("aria-describedby", help)
    // A newsmaker suggested by the hints: quote them here.
    textarea?.addEventListener("newsroom:quote-by", (event) => {
      insertQuote(this.editor, { speaker: event.detail.name, speaker_id: event.detail.id })
    })
    // Text brought back by autosave.js is put in the textarea: show it in the editor too.
    textarea?.form?.addEventListener("newsroom:restored", () => {
      this.editor.commands.setContent(textarea.value)
    })
  },

  addNodeView() {
    return ({ node, editor }) => {
      const data = store(editor)
      const dom = element("figure", { className: "newsroom-quote", contentEditable: "false" })
      let id = node.attrs.id
      const render = () => {
        const quote = data.quotes[String(id)]
        dom.dataset.embed = "quote"
        dom.dataset.id = id ?? ""
        const edit = element("button", {
          type: "button",
          className: "button newsroom-quote-edit",
          textContent: data.strings.edit,
        })
        edit.addEventListener("click", async () => {
          const current = data.quotes[String(id)]
          if (!current) return
          if (await openQuoteDialog(editor, current)) render()
        })
        const caption = quote
          ? [quote.speaker || data.strings.noSpeaker, quote.role, quote.context]
              .filter(Boolean)
              .join(", ")
          : data.strings.missing
        dom.classList.toggle("newsroom-quote-missing", !quote)
        dom.classList.toggle("newsroom-quote-anonymous", Boolean(quote && !quote.speaker))
        dom.replaceChildren(
          element("blockquote", { textContent: quote ? quote.text : "" }),
          element("figcaption", { textContent: caption }),
          ...(quote && data.urls.quotes ? [edit] : []),
        )
      }
      render()
      return {
        dom,
        update(updated) {
          if (updated.type.name !== "newsroomQuote") return false
          id = updated.attrs.id
          render()
          return true
        },
        stopEvent: (event) => Boolean(event.target.closest?.("button")),
        ignoreMutation: () => true,
      }
    }
  },

  addMenuItems({ buttons, menu }) {
    const { urls, strings } = store(this.editor)
    menu.defineItem({
      name: "newsroomQuote",
      groups: "nodes",
      command: (editor) => insertQuote(editor),
      button: buttons.material("format_quote", urls.quotes ? strings.insert : strings.saveFirst),
      enabled: () => Boolean(urls.quotes),
    })
  },
})
