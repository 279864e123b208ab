"""Asking for a language in words (bot/components/language_request.py and its table): every
locale by its English name, its own name and the usual "in X" / "speak X" phrasings, in each of
our languages; and questions that only mention a language are left to the classifier."""
from __future__ import annotations

import pytest

from components.language_request import LanguageRequest, Table, recognise, words
from content.i18n import LOCALES

# For each locale: its English name, its own name, and requests as people write them, in English
# and in the language itself (with and without accents, with the grammar's forms).
ASKING = {
    "en": ["English", "english please", "in English", "can you speak English", "do you speak english?",
           "Saesneg plis", "po angielsku proszę", "em inglês", "en inglés por favor", "în engleză",
           "انگریزی میں", "بالإنجليزية", "ਅੰਗਰੇਜ਼ੀ ਵਿੱਚ", "ইংরেজিতে", "અંગ્રેજીમાં"],
    "cy": ["Welsh", "Cymraeg", "in Welsh please", "yn Gymraeg os gwelwch yn dda", "Cymraeg plîs",
           "ga i siarad Cymraeg", "ydych chi'n siarad Cymraeg?", "can I have this in Welsh",
           "switch to Welsh"],
    "pl": ["Polish", "polski", "po polsku", "in Polish please", "po polsku proszę", "po polsku prosze",
           "czy mówisz po polsku?", "czy mowisz po polsku", "mówię po polsku", "język polski",
           "can I have this in Polish", "do you speak polish", "advice in Polish please"],
    "ro": ["Romanian", "română", "romana", "în română", "in romana va rog", "în limba română, vă rog",
           "vorbiți română?", "vorbesti romaneste", "in Romanian please", "can we speak Romanian"],
    "pa": ["Punjabi", "Panjabi", "ਪੰਜਾਬੀ", "ਪੰਜਾਬੀ ਵਿੱਚ", "ਪੰਜਾਬੀ ਵਿੱਚ ਗੱਲ ਕਰੋ", "ਕੀ ਤੁਸੀਂ ਪੰਜਾਬੀ ਬੋਲਦੇ ਹੋ?",
           "پنجابی", "in Punjabi please", "can I have it in panjabi"],
    "ur": ["Urdu", "اردو", "اردو میں", "اُردو میں بات کریں", "کیا آپ اردو بولتے ہیں؟", "مجھے اردو میں جواب دیں",
           "can I have this in Urdu", "urdu please", "do you have information in Urdu"],
    "pt": ["Portuguese", "português", "portugues", "em português", "em portugues por favor",
           "fala português?", "falo português", "posso falar em português?", "in Portuguese please"],
    "es": ["Spanish", "español", "espanol", "en español", "en español por favor", "¿hablas español?",
           "hablo español", "¿puedo hablar en castellano?", "in Spanish please"],
    "ar": ["Arabic", "العربية", "عربي", "بالعربية", "بالعربي من فضلك", "باللغة العربية", "هل تتكلم العربية؟",
           "اريد العربية", "in Arabic please", "can you speak arabic"],
    "bn": ["Bengali", "Bangla", "বাংলা", "বাংলায়", "বাংলাতে", "বাংলায় কথা বলুন", "আমি বাংলায় কথা বলতে চাই",
           "in Bengali please", "bangla please"],
    "gu": ["Gujarati", "ગુજરાતી", "ગુજરાતીમાં", "ગુજરાતીમાં વાત કરો", "શું તમે ગુજરાતી બોલો છો?",
           "in Gujarati please", "can I have this in gujarati"],
}

CASES = [(locale, text) for locale, texts in ASKING.items() for text in texts]


def test_every_locale_can_be_asked_for():
    assert set(ASKING) == set(LOCALES)


@pytest.mark.parametrize("locale, text", CASES)
def test_asking_in_words_names_the_language(locale, text):
    assert recognise(text) == LanguageRequest(locale)


@pytest.mark.parametrize("text", [
    "change language", "Change language", "languages", "other languages", "what languages do you speak?",
    "newid iaith", "zmień język", "schimbă limba", "mudar idioma", "cambiar idioma", "زبان تبدیل کریں",
    "تغيير اللغة", "ਭਾਸ਼ਾ ਬਦਲੋ", "ভাষা পরিবর্তন করুন", "ભાષા બદલો",
])
def test_asking_for_the_list_of_languages(text):
    assert recognise(text) == LanguageRequest(None)


@pytest.mark.parametrize("text", [
    # questions that mention a language are questions, not requests to switch
    "is there a Polish carers group",
    "Is there a Polish carers group near me?",
    "can I get a Polish interpreter for the assessment",
    "I need a Welsh speaking carer for my mum",
    "my mum only speaks Urdu",
    "my dad is Punjabi and needs help at home",
    "do you have Bengali speaking social workers",
    "I don't speak Welsh",
    "I can't read English",
    "can I talk to someone in Polish",
    "czy jest polska grupa dla opiekunów",
    "mama mówi tylko po polsku i potrzebuje pomocy",
    "oes gofalwyr sy'n siarad Cymraeg",
    "¿hay cuidadores que hablen español?",
    "میری امی صرف اردو بولتی ہیں",
    "from Polish to English",  # two languages: not clear which
    "I am Welsh",
    # nothing about a language at all
    "hello", "yes please", "in", "please", "how do I get a stairlift", "polished floors are slippery",
    # a button's payload is read by Rasa itself
    '/change_language{"locale": "pl"}',
    "",
])
def test_a_question_that_mentions_a_language_is_not_a_switch(text):
    assert recognise(text) is None


def test_a_long_message_is_never_a_switch():
    assert recognise("please " * 12 + "in Polish") is None


def test_words_are_compared_without_accents_and_in_one_arabic_form():
    assert words("În Română, vă rog!") == ["in", "romana", "va", "rog"]
    assert words("I'd like Polish") == ["i", "d", "like", "polish"]
    assert words("بالعربيّة") == words("بالعربيه") == words("بالعربية")


def test_the_table_names_each_word_once_and_no_name_is_a_request_word():
    table = Table.load()  # raises on a word that names two languages, or is also a request word
    assert set(table.names.values()) == set(LOCALES)
