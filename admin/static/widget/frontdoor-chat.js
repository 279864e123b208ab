/*
 * Front Door chat widget: one script tag puts the council's adult social care assistant on a page.
 *
 *   <script src="https://frontdoor.example/static/widget/frontdoor-chat.js"
 *           data-rasa-url="https://frontdoor.example" data-locale="en" defer></script>
 *
 * data-rasa-url  the Rasa server (its REST channel, POST /webhooks/rest/webhook); required
 * data-locale    the starting language (en, cy, pl, ro, pa, ur, pt, es, ar, bn, gu); default en
 * data-title     the chat's heading; default "Ask about care and support" in the chat's language
 * data-exit-url  where "Leave this site quickly" goes; default https://www.bbc.co.uk/weather
 *
 * Languages: the widget's own words are English here, each marked _("...") so that
 * `make translations-update` puts them in the messages catalog with everything residents read.
 * For another language it reads i18n/<locale>.json next to this script (served by the web app
 * from that catalog, cached by the browser); until that arrives, or if it cannot, they stay
 * English and say so with lang="en". Urdu and Arabic turn the whole widget right to left.
 *
 * Privacy: the conversation is kept in sessionStorage only (gone when the tab closes), nothing is
 * put in localStorage or cookies, and nothing is sent anywhere but the Rasa server and the site
 * this script comes from.
 * Safety: the bot's text is turned into page elements with DOM APIs, never innerHTML, so nothing
 * in an answer can run as code; links are limited to https, http, mailto and tel.
 */
(function () {
  "use strict";

  var script = document.currentScript || document.querySelector("script[data-rasa-url]");
  if (!script || window.FrontDoorChat) return;

  var STORAGE_KEY = "frontdoor-chat";
  var TIMEOUT_MS = 15000; // then the message is reported as not sent, with Try again
  var WORDS_WAIT_MS = 3000; // the chat shows in English rather than wait longer for its words
  var RTL = ["ur", "ar"];
  // The reply contract's languages, each named in its own language.
  var LANGUAGES = [
    ["en", "English"], ["cy", "Cymraeg"], ["pl", "Polski"], ["ro", "Română"], ["pa", "ਪੰਜਾਬੀ"],
    ["ur", "اردو"], ["pt", "Português"], ["es", "Español"], ["ar", "العربية"], ["bn", "বাংলা"],
    ["gu", "ગુજરાતી"]
  ];
  // ---- The widget's own words, in the conversation's language ----

  var catalogs = { en: {} }; // each language's translations, once fetched: msgid -> text
  var words = catalogs.en; // the ones in use, and their language (UI_LANG)
  var UI_LANG = "en";

  // gettext for the widget: the translation if there is one, else the English written here.
  function _(text) {
    return Object.prototype.hasOwnProperty.call(words, text) ? words[text] : text;
  }

  // Called again whenever the language changes. Placeholders such as {date} are filled in later.
  function texts() {
    return {
      launcher: _("Ask about care and support"),
      title: _("Ask about care and support"),
      intro: _("I am a computer, not a person. Please do not type your name or other personal details. " +
        "If someone is in danger now, call 999."),
      close: _("Close"),
      exit: _("Leave this site quickly"),
      exitHint: _("Or press the Shift key 3 times."),
      language: _("Language"),
      restart: _("Start again"),
      print: _("Save or print this conversation"),
      log: _("Conversation"),
      input: _("Your question"),
      send: _("Send"),
      you: _("You said:"),
      bot: _("Front Door said:"),
      typing: _("Front Door is replying"),
      failed: _("Sorry, that message did not send. Check your connection."),
      retry: _("Try again"),
      newTab: _("(opens in new tab)"),
      reviewed: _("Last reviewed {date}."),
      source: _("Source:"),
      printed: _("Printed {date}")
    };
  }
  var T = texts();

  var config = {
    rasaUrl: safeHttpUrl(script.getAttribute("data-rasa-url")),
    locale: supported(script.getAttribute("data-locale")) || "en",
    title: script.getAttribute("data-title"), // the council's own words: never translated here
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

  function direction(locale) {
    return RTL.indexOf(locale) >= 0 ? "rtl" : "ltr";
  }

  // Which way a piece of text runs, from the letters it has the most of: an Arabic sentence
  // that starts with "Castlebridge Council" is still right to left, and an English service
  // description in an Urdu conversation left to right. Null when it has no letters (a number).
  var RTL_LETTERS = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/g;
  var LTR_LETTERS = /[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\u0900-\u0dff]/g;
  function textDirection(text) {
    var rtl = (text.match(RTL_LETTERS) || []).length, ltr = (text.match(LTR_LETTERS) || []).length;
    return rtl + ltr === 0 ? null : (rtl > ltr ? "rtl" : "ltr");
  }

  // The widget's own words on the page: each is written again when the language changes.
  var labels = [];
  function label(apply) {
    labels.push(apply);
    apply();
  }
  function labelText(node, key) {
    label(function () {
      node.textContent = T[key];
      node.lang = UI_LANG;
      node.dir = direction(UI_LANG);
    });
    return node;
  }
  function labelAttribute(node, attribute, key) {
    label(function () { node.setAttribute(attribute, T[key]); });
    return node;
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
      a.appendChild(document.createTextNode(" "));
      a.appendChild(hidden(T.newTab));
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
          list.appendChild(inline(item[1], el("li", { dir: textDirection(item[1]) })));
        } else if (line.trim()) {
          list = null;
          if (paragraph) paragraph.appendChild(el("br"));
          // Each paragraph runs its own way: an English service description reads left to
          // right even in an Arabic conversation.
          paragraph = paragraph || fragment.appendChild(el("p", { "class": "fdc-p", dir: textDirection(block) }));
          inline(line.trim(), paragraph);
        }
      });
    });
    return fragment;
  }

  // ---- Rendering the transcript ----

  function renderEntry(entry) {
    if (entry.type === "user") return userBubble(entry.text);
    if (entry.type === "bot") return botTurn(entry.messages, entry.locale);
    return errorNotice(entry);
  }

  // A message's words carry its language and direction; the bubble keeps the widget's, so that
  // every bubble sits on its side of the conversation whatever language it is in.
  function userBubble(text) {
    // Whatever language they typed in: its own direction, and no claim about which language.
    return el("div", { "class": "fdc-msg fdc-msg--user" }, [
      hidden(T.you + " "), el("p", { "class": "fdc-p", dir: textDirection(text), text: text })]);
  }

  // One turn of the bot: its texts, its buttons, and what the reply contract's metadata adds.
  // asked: the conversation's language when the message was sent.
  function botTurn(messages, asked) {
    var custom = messages.map(function (m) { return m.custom; })
      .filter(function (c) { return c && c.kind; })[0] || {};
    var turn = el("div", { "class": "fdc-turn" + (custom.kind === "crisis" ? " fdc-turn--crisis" : "") });
    var texts = messages.filter(function (m) { return typeof m.text === "string" && m.text.trim(); });
    texts.forEach(function (m, index) {
      // custom.locale is the language actually served. For advice that is the answer, the last
      // text; what comes before it ("not in Polish yet", the crisis numbers) is in the language
      // the person asked in.
      var locale = supported(custom.kind === "advice" && index < texts.length - 1 ? asked : custom.locale || asked);
      var bubble = el("div", { "class": "fdc-msg fdc-msg--bot" }, [hidden(T.bot + " "),
        el("div", { "class": "fdc-msg__text", lang: locale, dir: locale && direction(locale) }, [markdown(m.text)])]);
      // A "concern" turn starts with the crisis numbers: make them stand out too.
      if (index === 0 && custom.safety === "concern") bubble.className += " fdc-msg--urgent";
      turn.appendChild(bubble);
    });
    if (custom.kind === "advice") turn.appendChild(adviceFooter(custom, asked));
    var buttons = [].concat.apply([], messages.map(function (m) { return m.buttons || []; }));
    if (buttons.length) turn.appendChild(choices(buttons, supported(asked)));
    return turn;
  }

  function adviceFooter(custom, asked) {
    var footer = el("p", { "class": "fdc-source", lang: UI_LANG, dir: direction(UI_LANG) });
    if (custom.title) {
      footer.appendChild(el("span", { "class": "fdc-source__title", lang: supported(custom.locale), text: custom.title }));
      footer.appendChild(document.createTextNode(". "));
    }
    if (custom.reviewed) {
      // The bot wrote the date in words in the language asked in (Babel); the browser's own
      // formatting is the fallback.
      var date = custom.reviewed_text && asked === UI_LANG ? custom.reviewed_text : longDate(custom.reviewed);
      footer.appendChild(document.createTextNode(T.reviewed.replace("{date}", date) + " "));
    }
    var source = (custom.sources || [])[0];
    var href = custom.url && hrefFor(custom.url);
    if (href) {
      footer.appendChild(document.createTextNode(T.source + " "));
      footer.appendChild(link((source && source.title) || href, href));
    }
    return footer;
  }

  function intlLocale(locale) {
    return locale === "en" ? "en-GB" : locale;
  }

  function longDate(iso) {
    var date = new Date(iso + "T12:00:00Z");
    if (isNaN(date)) return iso;
    return new Intl.DateTimeFormat(intlLocale(UI_LANG), { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(date);
  }

  function choices(buttons, locale) {
    var group = el("div", { "class": "fdc-choices", lang: locale, dir: locale && direction(locale) });
    buttons.forEach(function (b) {
      group.appendChild(button(b.title, function () { send(b.payload, b.title); }, "fdc-choice"));
    });
    return group;
  }

  function errorNotice(entry) {
    var notice = el("div", { "class": "fdc-error", lang: UI_LANG }, [
      el("p", { "class": "fdc-p", dir: direction(UI_LANG), text: T.failed })]);
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
      addEntry({ type: "bot", messages: messages, locale: request.locale });
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
    request.locale = state.locale; // a message sent again goes in the language chosen since
    return fetch(config.rasaUrl + "/webhooks/rest/webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: request.sender, message: request.message, metadata: { locale: request.locale } }),
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

  // The conversation's language: the layout's direction now, the widget's words when they come.
  function setLocale(locale) {
    state.locale = supported(locale) || "en";
    ui.root.lang = state.locale;
    ui.root.dir = direction(state.locale);
    ui.language.value = state.locale;
    return useWords(state.locale);
  }

  function useWords(locale) {
    return wordsFor(locale).then(function (found) {
      if (locale === state.locale) showWords(found, locale);
    }, function () {
      // The site cannot be reached: English words, said to be English, rather than none.
      if (locale === state.locale) showWords(catalogs.en, "en");
    });
  }

  function wordsFor(locale) {
    if (catalogs[locale]) return Promise.resolve(catalogs[locale]);
    var url = new URL("i18n/" + locale + ".json", script.src).href;
    return fetch(url, { credentials: "omit", referrerPolicy: "no-referrer" }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (catalog) {
      catalogs[locale] = (catalog && catalog.messages) || {};
      return catalogs[locale];
    });
  }

  function showWords(found, locale) {
    words = found;
    UI_LANG = locale;
    T = texts();
    labels.forEach(function (apply) { apply(); });
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
    var now = new Intl.DateTimeFormat(intlLocale(UI_LANG), { dateStyle: "long", timeStyle: "short" }).format(new Date());
    ui.printed.textContent = T.printed.replace("{date}", now);
    ui.printed.lang = UI_LANG;
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
      type: "button", "class": "fdc-launcher", "aria-expanded": "false", "aria-controls": "fdc-panel"
    }, [el("span", { "class": "fdc-launcher__icon", "aria-hidden": "true" }), labelText(el("span"), "launcher")]);
    ui.launcher.addEventListener("click", function () { if (ui.panel.hidden) open(true); else close(); });

    ui.language = el("select", { id: "fdc-language", "class": "fdc-select" });
    LANGUAGES.forEach(function (l) { ui.language.appendChild(el("option", { value: l[0], lang: l[0], text: l[1] })); });
    ui.language.addEventListener("change", function () { setLocale(ui.language.value); save(); });

    ui.log = labelAttribute(el("div", { "class": "fdc-log", role: "log", "aria-live": "polite", tabindex: "0" }),
      "aria-label", "log");
    ui.typing = el("p", { "class": "fdc-typing", hidden: "" }, [
      el("span", { "class": "fdc-typing__dots", "aria-hidden": "true" }, [el("span"), el("span"), el("span")]),
      labelText(el("span"), "typing")
    ]);
    // No dir of its own: the box runs the widget's way (right to left in Urdu and Arabic), and
    // the browser lays out any mix of scripts typed in it.
    ui.input = el("input", {
      id: "fdc-input", "class": "fdc-input", type: "text", autocomplete: "off", maxlength: "4000", spellcheck: "true"
    });
    ui.printed = el("p", { "class": "fdc-print-only" });

    var form = el("form", { "class": "fdc-form" }, [
      labelText(el("label", { "for": "fdc-input", "class": "fdc-label" }), "input"),
      el("div", { "class": "fdc-form__row" }, [
        ui.input, labelText(el("button", { type: "submit", "class": "fdc-button fdc-send" }), "send")
      ])
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = ui.input.value;
      ui.input.value = "";
      send(text);
    });

    var title = config.title ? el("h2", { id: "fdc-title", "class": "fdc-title", text: config.title })
      : labelText(el("h2", { id: "fdc-title", "class": "fdc-title" }), "title");
    var intro = el("div", { "class": "fdc-intro" });
    label(function () { // as Markdown, so 999 is a tap-to-call link in every language
      intro.textContent = "";
      intro.lang = UI_LANG;
      intro.dir = direction(UI_LANG);
      intro.appendChild(markdown(T.intro));
    });
    // The picker's label says "Language" in English too: someone who chose a language they
    // cannot read must still find the way back.
    var languageLabel = el("label", { "for": "fdc-language", "class": "fdc-label" });
    label(function () {
      languageLabel.textContent = "";
      languageLabel.lang = UI_LANG;
      languageLabel.dir = direction(UI_LANG);
      languageLabel.appendChild(document.createTextNode(T.language));
      if (UI_LANG !== "en") languageLabel.appendChild(el("span", { lang: "en", dir: "ltr", text: " (Language)" }));
    });
    ui.panel = el("section", { id: "fdc-panel", "class": "fdc-panel", role: "dialog", "aria-labelledby": "fdc-title", hidden: "" }, [
      el("div", { "class": "fdc-header" }, [
        title,
        el("div", { "class": "fdc-header__actions" }, [
          labelText(el("button", { type: "button", "class": "fdc-button fdc-exit", "aria-describedby": "fdc-exit-hint", onclick: quickExit }), "exit"),
          labelText(el("span", { id: "fdc-exit-hint", "class": "fdc-visually-hidden" }), "exitHint"),
          labelText(button("", close, "fdc-button fdc-button--secondary fdc-close"), "close")
        ])
      ]),
      intro,
      el("div", { "class": "fdc-toolbar" }, [
        el("div", { "class": "fdc-toolbar__language" }, [languageLabel, ui.language]),
        labelText(button("", restart, "fdc-button fdc-button--secondary"), "restart"),
        labelText(button("", print, "fdc-button fdc-button--secondary"), "print")
      ]),
      ui.printed,
      ui.log,
      ui.typing,
      form
    ]);
    ui.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || event.key === "Esc") { event.preventDefault(); close(); }
    });

    ui.root = el("aside", { "class": "fdc" }, [ui.panel, ui.launcher]);
    if (config.title) ui.root.setAttribute("aria-label", config.title);
    else labelAttribute(ui.root, "aria-label", "title");
    return ui.root;
  }

  function start() {
    var stylesheet = el("link", { rel: "stylesheet", href: new URL("frontdoor-chat.css", script.src).href });
    document.head.appendChild(stylesheet);
    build();
    var shown = false;
    function show() {
      if (shown) return;
      shown = true;
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
    // Nothing is stored until the person uses the chat. In English the chat shows at once; in
    // another language when its words have come, or after WORDS_WAIT_MS in English.
    setLocale(state.locale).then(show);
    if (catalogs[state.locale]) show();
    else setTimeout(show, WORDS_WAIT_MS);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
