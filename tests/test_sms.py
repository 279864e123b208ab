"""SMS segment counting: what a text costs to send and how it will be split."""
from content import sms


def test_plain_english_is_gsm7_with_160_in_one_message():
    assert sms.count("a" * 160) == sms.SmsCount("GSM-7", 160, 1, 160)
    assert sms.count("a" * 161).segments == 2
    assert sms.count("£" * 306).segments == 2 and sms.count("£" * 307).segments == 3


def test_extension_characters_count_twice():
    assert sms.count("€" * 80).units == 160 and sms.count("€" * 81).segments == 2


def test_welsh_and_urdu_switch_the_whole_text_to_ucs2():
    welsh = "Gofalwyr: ffoniwch ni ar ddydd Llun. Mae'r gwasanaeth yn rhad ac am ddim i bawb sy'n byw yma ŵ"
    counted = sms.count(welsh)
    assert counted.encoding == "UCS-2" and counted.segments == 2 and counted.per_segment == 67
    assert sms.count("آپ کی دیکھ بھال" * 5).encoding == "UCS-2"


def test_emoji_take_two_ucs2_units():
    assert sms.count("👍").units == 2
    assert sms.count("a" * 69 + "👍").segments == 2
