/*
 * Front Door chat widget: one script tag puts the council's adult social care assistant on a page.
 *
 *   <script src="https://frontdoor.example/static/widget/frontdoor-chat.js"
 *           data-rasa-url="https://frontdoor.example" data-locale="en" defer></script>
 *
 * data-rasa-url  the Rasa server (its REST channel, POST /webhooks/rest/webhook); required
 * data-locale    the starting language (en, cy, pl, ro, pa, ur, pt, es, ar, bn, gu); default en
 * data-title     the chat's heading; default "Ask about care and support"
 * data-exit-url  where "Leave this site quickly" goes; default https://www.bbc.co.uk/weather
 *
 * Privacy: the conversation is kept in sessionStorage only (gone when the tab closes), nothing is
 * put in localStorage or cookies, and nothing is sent anywhere but the Rasa server.
 * Safety: the bot's text is turned into page elements with DOM APIs, never innerHTML, so nothing
 * in an answer can run as code; links are limited to https, http, mailto and tel.
 */
(function () {
  "use strict";

  var script = document.currentScript || document.querySelector("script[data-rasa-url]");
  if (!script || window.FrontDoorChat) return;

  var STORAGE_KEY = "frontdoor-chat";
  var TIMEOUT_MS = 15000; // then the message is reported as not sent, with Try again
  var RTL = ["ur", "ar"];
  // The reply contract's languages, each named in its own language.
  var LANGUAGES = [
    ["en", "English"], ["cy", "Cymraeg"], ["pl", "Polski"], ["ro", "Română"], ["pa", "ਪੰਜਾਬੀ"],
    ["ur", "اردو"], ["pt", "Português"], ["es", "Español"], ["ar", "العربية"], ["bn", "বাংলা"],
    ["gu", "ગુજરાતી"]
  ];
  // The widget's own words. Only English so far: the elements holding them say lang="en", so a
  // screen reader reads them right whatever language the conversation is in.
  var UI_LANG = "en";
  var T = {
    launcher: "Ask about care and support",
    title: "Ask about care and support",
    intro: "I am a computer, not a person. Please do not type your name or other personal details. " +
      "If someone is in danger now, call 999.",
    close: "Close",
    exit: "Leave this site quickly",
    exitHint: "Or press the Shift key 3 times.",
    language: "Language",
    restart: "Start again",
    print: "Save or print this conversation",
    log: "Conversation",
    input: "Your question",
    send: "Send",
    you: "You said:",
    bot: "Front Door said:",
    typing: "Front Door is replying",
    failed: "Sorry, that message did not send. Check your connection.",
    retry: "Try again",
    newTab: "(opens in new tab)",
    reviewed: "Last reviewed",
    source: "Source:",
    printed: "Printed"
  };

  var config = {
    rasaUrl: safeHttpUrl(script.getAttribute("data-rasa-url")),
    locale: supported(script.getAttribute("data-locale")) || "en",
    title: script.getAttribute("data-title") || T.title,
    exitUrl: safeHttpUrl(script.getAttribute("data-exit-url")) || "https://www.bbc.co.uk/weather"
  };
  if (!config.rasaUrl) {
    if (window.console) console.error("Front Door chat: data-rasa-url must be an http(s) address");
    return;
  }

  // ---- State, kept in sessionStorage so the conversation survives reloads and navigation ----

  var state = load() || fresh(config.locale);
  var queue = Promise.resolve(); // messages go one at a time, in the order they were sent
  var ui = {};
  var leaving = false; // after a quick exit nothing may be stored again

  function fresh(locale) {
    // pending: messages sent and not yet answered, so a reload meanwhile can offer to resend them
    return { sender: newSenderId(), locale: locale, open: false, entries: [], pending: [] };
  }

  function newSenderId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return "web-" + Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function load() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY));
      return saved && saved.sender && Array.isArray(saved.entries) && Array.isArray(saved.pending) ? saved : null;
    } catch (e) {
      return null; // storage blocked or corrupt: start afresh
    }
  }

  function save() {
    if (leaving) return;
    try {
      window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (e) { /* storage blocked: the conversation still works, it just won't survive a reload */ }
  }

  function forget() {
    try { window.sessionStorage.removeItem(STORAGE_KEY); } catch (e) { /* nothing stored */ }
  }

  // ---- Small DOM helpers ----

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes.text;
      else if (name === "onclick") node.addEventListener("click", attributes.onclick);
      else if (attributes[name] !== null && attributes[name] !== undefined) node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function hidden(text) {
    return el("span", { "class": "fdc-visually-hidden", lang: UI_LANG, text: text });
  }

  function button(text, onclick, className) {
    return el("button", { type: "button", "class": className || "fdc-button", text: text, onclick: onclick });
  }

  // ---- Safe Markdown: paragraphs, line breaks, "-" lists, **bold**, links, bare URLs ----

  var INLINE = new RegExp([
    "\\*\\*(.+?)\\*\\*", // 1 bold
    "\\[([^\\]\\n]+)\\]\\(([^)\\s]+)\\)", // 2, 3 link
    "(https?:\\/\\/[^\\s<>\"]*[^\\s<>\".,;:!?)\\]'])", // 4 bare URL, without trailing punctuation
    "([\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+)", // 5 e-mail address
    // 6 UK phone numbers (01632 960 000, 020 7946 0000, +44...) and the short emergency ones
    "((?:\\+44 ?|\\b0)(?:\\d{2} ?\\d{4} ?\\d{4}|\\d{3,4} ?\\d{3} ?\\d{3,4})\\b|\\b(?:999|111|116 ?123)\\b)"
  ].join("|"), "g");

  function safeHttpUrl(value) {
    if (!value) return null;
    try {
      var url = new URL(value, window.location.href);
      return /^https?:$/.test(url.protocol) ? url.href.replace(/\/$/, "") : null;
    } catch (e) {
      return null;
    }
  }

  function link(text, href) {
    var a = el("a", { href: href, "class": "fdc-link" }, [text]);
    if (/^tel:/.test(href)) a.className += " fdc-tel";
    if (/^https?:/i.test(href) && new URL(href).origin !== window.location.origin) {
      a.target = "_blank";
      a.rel = "noopener";
      a.appendChild(hidden(" " + T.newTab));
    }
    return a;
  }

  function hrefFor(target) {
    return /^(https?:\/\/|mailto:|tel:)/i.test(target) ? target : null;
  }

  function inline(text, parent) {
    var last = 0;
    text.replace(INLINE, function (match, bold, label, target, url, email, phone, offset) {
      parent.appendChild(document.createTextNode(text.slice(last, offset)));
      last = offset + match.length;
      if (bold) parent.appendChild(inline(bold, el("strong")));
      else if (label) parent.appendChild(hrefFor(target) ? link(label, target) : document.createTextNode(label));
      else if (url) parent.appendChild(link(url, url));
      else if (email) parent.appendChild(link(email, "mailto:" + email));
      else parent.appendChild(link(phone, "tel:" + phone.replace(/[^\d+]/g, "")));
      return match;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
    return parent;
  }

  function markdown(text) {
    var fragment = document.createDocumentFragment();
    text.split(/\n\s*\n/).forEach(function (block) {
      var list = null, paragraph = null;
      block.split("\n").forEach(function (line) {
        var item = /^\s*[-*]\s+(.*)$/.exec(line);
        if (item) {
          paragraph = null;
          list = list || fragment.appendChild(el("ul", { "class": "fdc-list" }));
          list.appendChild(inline(item[1], el("li", { dir: "auto" })));
        } else if (line.trim()) {
          list = null;
          if (paragraph) paragraph.appendChild(el("br"));
          // dir="auto": an English answer reads left to right even in an Arabic conversation.
          paragraph = paragraph || fragment.appendChild(el("p", { "class": "fdc-p", dir: "auto" }));
          inline(line.trim(), paragraph);
        }
      });
    });
    return fragment;
  }

  // ---- Rendering the transcript ----

  function renderEntry(entry) {
    if (entry.type === "user") return userBubble(entry.text);
    if (entry.type === "bot") return botTurn(entry.messages);
    return errorNotice(entry);
  }

  function userBubble(text) {
    return el("div", { "class": "fdc-msg fdc-msg--user" }, [hidden(T.you + " "), el("p", { "class": "fdc-p", dir: "auto", text: text })]);
  }

  // One turn of the bot: its texts, its buttons, and what the reply contract's metadata adds.
  function botTurn(messages) {
    var custom = messages.map(function (m) { return m.custom; })
      .filter(function (c) { return c && c.kind; })[0] || {};
    var turn = el("div", { "class": "fdc-turn" + (custom.kind === "crisis" ? " fdc-turn--crisis" : "") });
    if (custom.locale) turn.lang = custom.locale; // the language actually served
    var texts = messages.filter(function (m) { return typeof m.text === "string" && m.text.trim(); });
    texts.forEach(function (m, index) {
      var bubble = el("div", { "class": "fdc-msg fdc-msg--bot" }, [hidden(T.bot + " "), markdown(m.text)]);
      // A "concern" turn starts with the crisis numbers: make them stand out too.
      if (index === 0 && custom.safety === "concern") bubble.className += " fdc-msg--urgent";
      turn.appendChild(bubble);
    });
    if (custom.kind === "advice") turn.appendChild(adviceFooter(custom));
    var buttons = [].concat.apply([], messages.map(function (m) { return m.buttons || []; }));
    if (buttons.length) turn.appendChild(choices(buttons));
    return turn;
  }

  function adviceFooter(custom) {
    var footer = el("p", { "class": "fdc-source", lang: UI_LANG });
    if (custom.title) footer.appendChild(el("span", { "class": "fdc-source__title", text: custom.title + ". " }));
    if (custom.reviewed) footer.appendChild(document.createTextNode(T.reviewed + " " + longDate(custom.reviewed) + ". "));
    var source = (custom.sources || [])[0];
    var href = custom.url && hrefFor(custom.url);
    if (href) {
      footer.appendChild(document.createTextNode(T.source + " "));
      footer.appendChild(link((source && source.title) || href, href));
    }
    return footer;
  }

  function longDate(iso) {
    var date = new Date(iso + "T12:00:00Z");
    if (isNaN(date)) return iso;
    return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(date);
  }

  function choices(buttons) {
    var group = el("div", { "class": "fdc-choices" });
    buttons.forEach(function (b) {
      group.appendChild(button(b.title, function () { send(b.payload, b.title); }, "fdc-choice"));
    });
    return group;
  }

  function errorNotice(entry) {
    var notice = el("div", { "class": "fdc-error", lang: UI_LANG }, [el("p", { "class": "fdc-p", text: T.failed })]);
    notice.appendChild(button(T.retry, function () { retry(entry); }, "fdc-button fdc-button--retry"));
    return notice;
  }

  function append(entry) {
    var node = renderEntry(entry);
    ui.log.appendChild(node);
    ui.log.scrollTop = node.offsetTop - ui.log.offsetTop; // show the start of what was added
    return node;
  }

  function renderAll() {
    ui.log.textContent = "";
    state.entries.forEach(function (entry) { ui.log.appendChild(renderEntry(entry)); });
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  // ---- Talking to Rasa ----

  function send(message, shown) {
    if (!message || !message.trim()) return;
    var request = { sender: state.sender, message: message };
    state.entries.push({ type: "user", text: shown || message });
    append(state.entries[state.entries.length - 1]);
    deliver(request);
  }

  function deliver(request) {
    state.pending.push(request);
    save();
    setTyping(true);
    queue = queue.then(function () { return post(request); }).then(function (messages) {
      if (request.sender !== state.sender) return; // the person started again meanwhile
      addEntry({ type: "bot", messages: messages });
      followLanguageChange(messages);
    }, function () {
      if (request.sender !== state.sender) return;
      addEntry({ type: "error", message: request.message });
    }).then(function () {
      var index = state.pending.indexOf(request);
      if (index >= 0) state.pending.splice(index, 1);
      save();
      setTyping(state.pending.length > 0);
    });
  }

  // "Can I have this in Polish?" changes the conversation's language: the picker follows.
  function followLanguageChange(messages) {
    messages.forEach(function (m) {
      if (m.custom && m.custom.kind === "language" && supported(m.custom.locale)) setLocale(m.custom.locale);
    });
  }

  function addEntry(entry) {
    state.entries.push(entry);
    append(entry);
  }

  function retry(entry) {
    var index = state.entries.indexOf(entry);
    if (index >= 0) state.entries.splice(index, 1);
    renderAll();
    deliver({ sender: state.sender, message: entry.message });
  }

  function post(request) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (controller) controller.abort(); }, TIMEOUT_MS);
    return fetch(config.rasaUrl + "/webhooks/rest/webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: request.sender, message: request.message, metadata: { locale: state.locale } }),
      credentials: "omit",
      referrerPolicy: "no-referrer",
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (messages) {
      clearTimeout(timer); // only now: a reply that stalls halfway is timed out too
      if (!Array.isArray(messages) || !messages.length) throw new Error("no reply");
      return messages;
    }, function (error) {
      clearTimeout(timer);
      throw error;
    });
  }

  function setTyping(on) {
    ui.typing.hidden = !on;
    ui.log.setAttribute("aria-busy", on ? "true" : "false");
  }

  // ---- Opening, closing, language, start again, print, quick exit ----

  function open(focus) {
    state.open = true;
    save();
    ui.panel.hidden = false;
    ui.root.classList.add("fdc--open");
    ui.launcher.setAttribute("aria-expanded", "true");
    if (focus) ui.input.focus();
  }

  function close() {
    state.open = false;
    save();
    ui.panel.hidden = true;
    ui.root.classList.remove("fdc--open");
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.launcher.focus();
  }

  function setLocale(locale) {
    state.locale = supported(locale) || "en";
    ui.root.lang = state.locale;
    ui.root.dir = RTL.indexOf(state.locale) >= 0 ? "rtl" : "ltr";
    ui.language.value = state.locale;
  }

  function supported(locale) {
    var code = String(locale || "").toLowerCase().split(/[-_]/)[0];
    return LANGUAGES.some(function (l) { return l[0] === code; }) ? code : null;
  }

  function restart() {
    var locale = state.locale;
    state = fresh(locale);
    state.open = true;
    save();
    renderAll();
    setTyping(false);
    ui.input.value = "";
    ui.input.focus();
  }

  // A print stylesheet shows only the transcript; the browser's print dialog can also save a PDF.
  function print() {
    ui.printed.textContent = T.printed + " " + new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short" }).format(new Date());
    document.documentElement.classList.add("fdc-printing");
    window.addEventListener("afterprint", function done() {
      document.documentElement.classList.remove("fdc-printing");
      window.removeEventListener("afterprint", done);
    });
    window.print();
  }

  // As GOV.UK's "Exit this page": forget the conversation, then replace this page in the history.
  function quickExit() {
    leaving = true;
    forget();
    state = fresh(config.locale);
    ui.log.textContent = "";
    document.documentElement.classList.add("fdc-leaving");
    window.location.replace(config.exitUrl);
  }

  function watchShiftPresses() {
    var presses = [];
    document.addEventListener("keyup", function (event) {
      if (event.key !== "Shift") { presses = []; return; }
      if (ui.panel.hidden) return;
      var now = Date.now();
      presses = presses.filter(function (t) { return now - t < 5000; }).concat(now);
      if (presses.length >= 3) quickExit();
    });
  }

  // ---- Building the widget ----

  function build() {
    ui.launcher = el("button", {
      type: "button", "class": "fdc-launcher", "aria-expanded": "false", "aria-controls": "fdc-panel", lang: UI_LANG
    }, [el("span", { "class": "fdc-launcher__icon", "aria-hidden": "true" }), T.launcher]);
    ui.launcher.addEventListener("click", function () { if (ui.panel.hidden) open(true); else close(); });

    ui.language = el("select", { id: "fdc-language", "class": "fdc-select" });
    LANGUAGES.forEach(function (l) { ui.language.appendChild(el("option", { value: l[0], lang: l[0], text: l[1] })); });
    ui.language.addEventListener("change", function () { setLocale(ui.language.value); save(); });

    ui.log = el("div", { "class": "fdc-log", role: "log", "aria-live": "polite", "aria-label": T.log, tabindex: "0" });
    ui.typing = el("p", { "class": "fdc-typing", hidden: "", lang: UI_LANG }, [
      el("span", { "class": "fdc-typing__dots", "aria-hidden": "true" }, [el("span"), el("span"), el("span")]),
      T.typing
    ]);
    ui.input = el("input", {
      id: "fdc-input", "class": "fdc-input", type: "text", autocomplete: "off", maxlength: "4000", spellcheck: "true"
    });
    ui.printed = el("p", { "class": "fdc-print-only", lang: UI_LANG });

    var form = el("form", { "class": "fdc-form" }, [
      el("label", { "for": "fdc-input", "class": "fdc-label", lang: UI_LANG, text: T.input }),
      el("div", { "class": "fdc-form__row" }, [
        ui.input, el("button", { type: "submit", "class": "fdc-button fdc-send", lang: UI_LANG, text: T.send })
      ])
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = ui.input.value;
      ui.input.value = "";
      send(text);
    });

    ui.panel = el("section", { id: "fdc-panel", "class": "fdc-panel", role: "dialog", "aria-labelledby": "fdc-title", hidden: "" }, [
      el("div", { "class": "fdc-header", lang: UI_LANG }, [
        el("h2", { id: "fdc-title", "class": "fdc-title", text: config.title }),
        el("div", { "class": "fdc-header__actions" }, [
          el("button", { type: "button", "class": "fdc-button fdc-exit", "aria-describedby": "fdc-exit-hint", text: T.exit, onclick: quickExit }),
          el("span", { id: "fdc-exit-hint", "class": "fdc-visually-hidden", text: T.exitHint }),
          button(T.close, close, "fdc-button fdc-button--secondary fdc-close")
        ])
      ]),
      el("div", { "class": "fdc-intro", lang: UI_LANG }, [markdown(T.intro)]), // 999 as a tap-to-call link
      el("div", { "class": "fdc-toolbar", lang: UI_LANG }, [
        el("div", { "class": "fdc-toolbar__language" }, [el("label", { "for": "fdc-language", "class": "fdc-label", text: T.language }), ui.language]),
        button(T.restart, restart, "fdc-button fdc-button--secondary"),
        button(T.print, print, "fdc-button fdc-button--secondary")
      ]),
      ui.printed,
      ui.log,
      ui.typing,
      form
    ]);
    ui.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || event.key === "Esc") { event.preventDefault(); close(); }
    });

    ui.root = el("aside", { "class": "fdc", "aria-label": T.title }, [ui.panel, ui.launcher]);
    return ui.root;
  }

  function start() {
    var stylesheet = el("link", { rel: "stylesheet", href: new URL("frontdoor-chat.css", script.src).href });
    document.head.appendChild(stylesheet);
    build();
    setLocale(state.locale); // nothing is stored until the person uses the chat
    // The page went away while messages were on their way: offer to send them again.
    state.pending.forEach(function (request) { state.entries.push({ type: "error", message: request.message }); });
    state.pending = [];
    renderAll(); // before the widget is on the page, so a restored transcript is not read out again
    document.body.appendChild(ui.root);
    // Scrolling to a focused link on the page leaves room for the chat button, so it is not hidden.
    document.documentElement.classList.add("fdc-page");
    if (state.open) open(false);
    ui.log.scrollTop = ui.log.scrollHeight;
    watchShiftPresses();
    window.FrontDoorChat = { open: function () { open(true); }, close: close };
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
