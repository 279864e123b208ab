// A live count of the text message version's characters and SMS segments, counted exactly as
// content/sms.py counts them (tests/admin/test_sms_counter.py checks that the two agree):
//   - text entirely in the GSM 03.38 alphabet goes as GSM-7: 160 characters in one message,
//     153 per segment once split; characters from the extension table (€ [ ] { } ...) count 2;
//   - anything else (Welsh ŵ, Urdu, emoji, curly quotes) makes the whole text UCS-2: 70 in one
//     message, 67 per segment, counted in UTF-16 code units.
// Placeholders are filled in first, because residents get the filled-in text.
(function () {
  'use strict'

  var GSM7_BASIC = new Set(Array.from(
    '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'
  ))
  var GSM7_EXTENDED = new Set(Array.from('^{}\\[~]|€\f'))
  var PLACEHOLDER = /\{\{\s*([a-z0-9_.]+)\s*\}\}/g

  function isGsm7 (text) {
    return Array.from(text).every(function (ch) { return GSM7_BASIC.has(ch) || GSM7_EXTENDED.has(ch) })
  }

  function count (text) {
    var units, single, multi, encoding
    if (isGsm7(text)) {
      units = Array.from(text).reduce(function (n, ch) { return n + (GSM7_EXTENDED.has(ch) ? 2 : 1) }, 0)
      single = 160; multi = 153; encoding = 'GSM-7'
    } else {
      units = text.length // a JavaScript string's length is its UTF-16 code units
      single = 70; multi = 67; encoding = 'UCS-2'
    }
    if (units <= single) {
      return { encoding: encoding, units: units, segments: units ? 1 : 0, perSegment: single }
    }
    return { encoding: encoding, units: units, segments: Math.ceil(units / multi), perSegment: multi }
  }

  // As the store saves it: whitespace runs become one space; then placeholders are filled.
  function asSent (text, placeholders) {
    var oneLine = text.split(/\s+/).filter(Boolean).join(' ')
    return oneLine.replace(PLACEHOLDER, function (match, name) {
      return Object.prototype.hasOwnProperty.call(placeholders, name) ? placeholders[name] : match
    }).trim()
  }

  // The words, in English unless the page gives them in the staff member's language
  // (data-i18n, from admin/i18n.py): plural messages have one form per CLDR plural category,
  // chosen with Intl.PluralRules for the page's language.
  var ENGLISH = {
    characters: { one: '{num} character', other: '{num} characters' },
    messages: { one: '{num} text message', other: '{num} text messages' },
    perMessage: { one: '{num} character per message', other: '{num} characters per message' },
    gsm: 'basic SMS alphabet',
    unicode: 'Unicode',
    summary: '{characters}, {messages} ({alphabet}: {per_message})',
    summarySplit: '{characters}, {messages} ({alphabet}: {per_message} once split)',
    onceFilled: 'Once filled in: {summary}'
  }

  function fill (template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : match
    })
  }

  function plural (forms, number, lang) {
    var category = 'other'
    try { category = new Intl.PluralRules(lang).select(number) } catch (e) {}
    return fill(forms[category] || forms.other, { num: String(number) })
  }

  function describe (result, words, lang) {
    words = words || ENGLISH
    lang = lang || 'en'
    return fill(result.segments > 1 ? words.summarySplit : words.summary, {
      characters: plural(words.characters, result.units, lang),
      messages: plural(words.messages, result.segments, lang),
      alphabet: result.encoding === 'GSM-7' ? words.gsm : words.unicode,
      per_message: plural(words.perMessage, result.perSegment, lang)
    })
  }

  function attach (output) {
    var field = document.getElementById(output.getAttribute('data-sms-counter'))
    var announcement = document.getElementById(output.id + '-announcement')
    var placeholders = JSON.parse(output.getAttribute('data-placeholders') || '{}')
    var words = JSON.parse(output.getAttribute('data-i18n') || 'null') || ENGLISH
    var lang = document.documentElement.getAttribute('lang') || 'en'
    var timer = null
    if (!field) return
    field.addEventListener('input', function () {
      var summary = describe(count(asSent(field.value, placeholders)), words, lang)
      var text = fill(words.onceFilled, { summary: summary })
      output.textContent = text
      // Screen readers hear the count when typing pauses, not at every key.
      if (announcement) {
        clearTimeout(timer)
        timer = setTimeout(function () { announcement.textContent = text }, 1000)
      }
    })
  }

  window.FrontDoorSms = { count: count, asSent: asSent, describe: describe }
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-sms-counter]').forEach(attach)
  })
})()
