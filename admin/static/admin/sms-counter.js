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

  function describe (result) {
    var messages = result.segments === 1 ? ' text message' : ' text messages'
    var alphabet = result.encoding === 'GSM-7' ? 'basic SMS alphabet' : 'Unicode'
    var split = result.segments > 1 ? ' once split' : ''
    return result.units + ' characters, ' + result.segments + messages + ' (' + alphabet + ': ' +
      result.perSegment + ' characters per message' + split + ')'
  }

  function attach (output) {
    var field = document.getElementById(output.getAttribute('data-sms-counter'))
    var announcement = document.getElementById(output.id + '-announcement')
    var placeholders = JSON.parse(output.getAttribute('data-placeholders') || '{}')
    var timer = null
    if (!field) return
    field.addEventListener('input', function () {
      var text = 'Once filled in: ' + describe(count(asSent(field.value, placeholders)))
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
