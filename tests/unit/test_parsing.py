"""parse_message / parse_headers / strip_quoted on realistic and hostile mail."""

from __future__ import annotations

import base64
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent.errors import MalformedMessageError
from agent.models import Address, FolderRole
from agent.parsing import html_to_text, parse_headers, parse_message, strip_quoted

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "mail"


def load(name: str, folder: FolderRole = FolderRole.INBOX):
    return parse_message((FIXTURES / name).read_bytes(), folder, ref=name)


def test_headers_are_normalised() -> None:
    msg = load("reply_by_friday_march_13_quoted.eml")
    assert msg.message_id == "CAMp8ZxT1q2w3e4r5t6y7u8i9o0pA1s2d3f4g5h6j7k8l9z0x1c@mail.gmail.com"
    assert msg.in_reply_to == "CAE3kR9x0y1z2a3b4c5d6e7f8g9h0i1j2k3l4m5n6o7p8q9r0s@mail.gmail.com"
    assert msg.references == ("CAE3kR9x0y1z2a3b4c5d6e7f8g9h0i1j2k3l4m5n6o7p8q9r0s@mail.gmail.com",)
    assert msg.date == datetime(2026, 3, 11, 13, 26, 51, tzinfo=UTC)
    assert msg.sender is not None and msg.sender.email == "priya.patel@acmerobotics.com"
    assert msg.sender.name == "Priya Patel"
    assert msg.ref == "reply_by_friday_march_13_quoted.eml"


def test_addresses_lowercased_and_display_names_with_commas() -> None:
    msg = load("outlook_invite_windows_tz.eml")
    assert [a.email for a in msg.to] == ["alex.rivera@gmail.com"]
    assert msg.to[0].name == "Rivera, Alex"
    assert msg.cc[0].email == "anna.schmidt@contoso.de"
    upper = load("ashby_invite_ics.eml")
    assert upper.reply_to[0].email == "sam.lee@initrode.io"


def test_rfc2047_names_and_subject_even_with_unknown_charset() -> None:
    msg = load("unknown_charset.eml")
    assert msg.sender is not None and msg.sender.name == "Renée Dupont"
    assert msg.subject.startswith("Entretien confirmé")
    # Body declared "x-unknown": decoded without crashing, mostly-UTF-8 text keeps its accents.
    assert "Renée will call you" in msg.text


def test_raw_utf8_headers() -> None:
    raw = (
        "From: José Núñez <jose@acme.com>\nSubject: Entrevista – confirmación\n"
        "Date: Mon, 9 Mar 2026 10:00:00 +0000\n\nhola\n"
    )
    msg = parse_message(raw.encode("utf-8"), FolderRole.INBOX)
    assert msg.sender is not None and msg.sender.name == "José Núñez"
    assert msg.subject == "Entrevista – confirmación"


def test_kept_headers_are_lowercase_and_decoded() -> None:
    msg = load("out_of_office_exchange.eml")
    assert msg.header("auto-submitted") == "auto-generated"
    assert msg.header("X-Auto-Response-Suppress") == "All"
    assert msg.header("x-ms-exchange-generated-message-source") == "Mailbox Rules Agent"
    assert all(name == name.lower() for name, _ in msg.headers)
    assert msg.header("received") is None  # not on the whitelist


def test_missing_date_raises_but_headers_only_does_not() -> None:
    raw = (FIXTURES / "missing_date.eml").read_bytes()
    with pytest.raises(MalformedMessageError, match="Date"):
        parse_message(raw, FolderRole.INBOX)
    head = parse_headers(raw.split(b"\n\n", 1)[0], FolderRole.INBOX)
    assert head.date is None
    assert head.subject == "Quick question"
    assert head.text == ""


def test_unparseable_date_raises() -> None:
    raw = b"From: a@acme.com\nDate: sometime next week\nSubject: x\n\nbody\n"
    with pytest.raises(MalformedMessageError):
        parse_message(raw, FolderRole.INBOX)


def test_missing_message_id_gets_a_stable_synthetic_one() -> None:
    raw = (FIXTURES / "missing_message_id.eml").read_bytes()
    first = parse_message(raw, FolderRole.INBOX)
    second = parse_message(raw, FolderRole.INBOX)
    assert first.message_id.endswith("@followup-agent.invalid")
    assert first.message_id == second.message_id
    other = parse_message(raw.replace(b"Platform Engineer", b"Data Engineer"), FolderRole.INBOX)
    assert other.message_id != first.message_id
    # The header-only parse of the same message agrees, so the engine can match listing and body.
    assert parse_headers(raw.split(b"\n\n", 1)[0], FolderRole.INBOX).message_id == first.message_id


def test_prefers_plain_text_and_collects_every_calendar_part() -> None:
    msg = load("google_calendar_invite.eml")
    assert "Technical interview for the Senior Software Engineer role." in msg.text
    assert "<html" not in msg.text
    # text/calendar inside multipart/alternative plus the application/ics attachment
    assert len(msg.calendars) == 2
    assert all("BEGIN:VCALENDAR" in c for c in msg.calendars)


def test_base64_calendar_with_windows_timezone_is_decoded() -> None:
    msg = load("outlook_invite_windows_tz.eml")
    assert len(msg.calendars) == 1
    assert "TZID:W. Europe Standard Time" in msg.calendars[0]
    assert "Grüße" in msg.text  # quoted-printable ISO-8859-1


def test_html_only_mail_becomes_readable_text() -> None:
    msg = load("lever_confirmation_html_only.eml")
    assert "window.lever" not in msg.text  # script dropped
    assert "display:none" not in msg.text  # style dropped
    assert "When Thursday, March 12, 2026" in msg.text  # table cells of a row stay on one line
    assert "Time 11:00 AM – 11:45 AM PT" in msg.text


def test_html_blockquote_is_marked_as_quote() -> None:
    text = html_to_text(
        "<div>Sounds good!</div><blockquote><div>On Mon Alex wrote:</div><div>we decide by Friday</div></blockquote>"
    )
    assert text.splitlines()[0] == "Sounds good!"
    assert "> we decide by Friday" in text
    assert strip_quoted(text) == "Sounds good!"


def test_report_flag_and_attached_original_not_in_text() -> None:
    msg = load("dsn_bounce.eml")
    assert msg.is_report
    assert "Address not found" in msg.text
    assert "Thank you for taking the time" not in msg.text  # the bounced original is not this message's text


@pytest.mark.parametrize(
    ("line", "address"),
    [
        (b"Final-Recipient: rfc822; Dana.Kim@Quarry.example", "dana.kim@quarry.example"),
        (b"<greg@lakeshoremedia.example>: Host or domain name not found", "greg@lakeshoremedia.example"),
        (
            b"Your message wasn't delivered to ana@brisa.example because the address couldn't be found.",
            "ana@brisa.example",
        ),
    ],
)
def test_a_bounce_names_the_addresses_it_could_not_reach(line: bytes, address: str) -> None:
    raw = (
        b"From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\r\nTo: alex@example.com\r\n"
        b"Subject: Undelivered Mail\r\nDate: Fri, 06 Mar 2026 12:16:00 -0500\r\nMessage-ID: <b1@mx.example.net>\r\n\r\n"
        b"Delivery failed.\r\n\r\n" + line + b"\r\n"
    )
    assert parse_message(raw, FolderRole.INBOX).returned_to == (address,)


def test_broken_boundary_still_yields_text() -> None:
    msg = load("malformed_broken_boundary.eml")
    assert "We'll get back to you by Wednesday." in msg.text


def test_undecodable_base64_keeps_what_decodes() -> None:
    msg = load("undecodable_base64.eml")
    assert msg.text.startswith("Hi Alex, thanks for the references.")


def test_pdf_attachment_is_not_decoded_into_text() -> None:
    msg = load("offer.eml")
    assert "%PDF" not in msg.text
    assert msg.calendars == ()


def test_large_attachment_costs_nothing() -> None:
    blob = base64.encodebytes(b"\x00\x01binary" * 4_000_000).decode()  # ~40 MB of base64
    raw = (
        "From: hr@acme.com\nTo: alex.rivera@gmail.com\nSubject: Documents\nDate: Mon, 9 Mar 2026 10:00:00 +0000\n"
        'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\n'
        "Please see the attached.\n--b\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n"
        'Content-Disposition: attachment; filename="big.pdf"\n\n' + blob + "\n--b--\n"
    ).encode()
    started = time.perf_counter()
    msg = parse_message(raw, FolderRole.INBOX)
    assert time.perf_counter() - started < 5
    assert msg.text == "Please see the attached."


def test_html_bomb_is_capped_in_time_and_size() -> None:
    bomb = "<div><p>" + "<b>spam</b> <i>eggs</i> " * 150_000 + "</p></div>"  # ~3.5 MB
    raw = (
        "From: promo@acme.com\nSubject: Deals\nDate: Mon, 9 Mar 2026 10:00:00 +0000\n"
        "Content-Type: text/html; charset=utf-8\n\n" + bomb
    ).encode()
    assert len(raw) > 3_000_000
    started = time.perf_counter()
    msg = parse_message(raw, FolderRole.INBOX)
    assert time.perf_counter() - started < 5
    assert 0 < len(msg.text) <= 200_000


def test_deeply_nested_html_does_not_crash() -> None:
    raw = (
        "From: a@acme.com\nSubject: x\nDate: Mon, 9 Mar 2026 10:00:00 +0000\nContent-Type: text/html\n\n"
        + "<div>" * 50_000
        + "deep"
    ).encode()
    parse_message(raw, FolderRole.INBOX)  # no RecursionError escapes


def test_garbage_input_raises_malformed_not_something_else() -> None:
    with pytest.raises(MalformedMessageError):
        parse_message(b"\x00\xff\xfe garbage without headers", FolderRole.INBOX)


class TestStripQuoted:
    def test_gmail_attribution_wrapped_over_two_lines(self) -> None:
        msg = load("reply_by_friday_march_13_quoted.eml")
        own = strip_quoted(msg.text)
        assert "by Friday, March 13" in own
        assert "within two" not in own and "Alex Rivera" not in own

    def test_outlook_underscore_and_from_sent_block(self) -> None:
        msg = load("reply_quoting_user_no_deadline.eml")
        own = strip_quoted(msg.text)
        assert own.endswith("and confidential use of the intended recipient.")
        assert "decide within two weeks" not in own

    def test_original_message_separator(self) -> None:
        text = "Sounds good.\n\n-----Original Message-----\nFrom: Alex\nWe will decide by Friday."
        assert strip_quoted(text) == "Sounds good."

    def test_angle_quotes_removed_but_later_own_text_kept(self) -> None:
        text = "> you said two weeks\nYes, two weeks still holds.\n> thanks\nBest"
        assert strip_quoted(text) == "Yes, two weeks still holds.\nBest"

    def test_schedule_lines_are_not_mistaken_for_an_outlook_header(self) -> None:
        text = "Date: March 10\nFrom: 2pm\nTo: 3pm\nSee you then"
        assert strip_quoted(text) == text

    def test_forwarded_message_is_kept(self) -> None:
        text = (
            "See below from the hiring manager.\n\n---------- Forwarded message ---------\n"
            "From: Jane\nWe'd like to invite Alex to a final round."
        )
        assert "final round" in strip_quoted(text)


@pytest.mark.parametrize(
    "attribution",
    [
        "Am 05.05.2026 um 20:10 schrieb Lena Roth <lena.roth@web.de>:",
        "Le mar. 6 oct. 2026 à 16:05, Camille Roussel <camille@free.fr> a écrit :",
        "El mar, 10 mar 2026 a las 9:14, Ana Gil (<ana.gil@gmail.com>) escribió:",
        "On Tue, Mar 10, 2026 at 9:14 AM Jane Doe <jane@acme.com> wrote:",
    ],
)
def test_the_quoted_mail_under_an_attribution_in_any_language_is_not_the_writers(attribution: str) -> None:
    text = f"Passt Donnerstag um 10 Uhr?\n\nGruß\n\n{attribution}\n> Ich könnte am Freitag, 9. Oktober um 15 Uhr."
    assert strip_quoted(text) == "Passt Donnerstag um 10 Uhr?\n\nGruß"


def test_address_headers_parse_the_same_whether_short_and_kept_or_long() -> None:
    short = b"From: =?utf-8?q?Jos=C3=A9?= <Jose@Acme.com>\r\nTo: a@x.com, b@x.com\r\n"
    many = ", ".join(f"Person {i} <p{i}@x.com>" for i in range(100))  # longer than the kept values
    long = short.replace(b"To: a@x.com, b@x.com", f"To: {many}".encode())
    first, again = parse_headers(short, FolderRole.INBOX), parse_headers(short, FolderRole.INBOX)
    assert first.sender == again.sender == Address("José", "jose@acme.com")
    assert [a.email for a in again.to] == ["a@x.com", "b@x.com"]
    wide = parse_headers(long, FolderRole.INBOX)
    assert len(wide.to) == 100 and wide.to[-1] == Address("Person 99", "p99@x.com")


def test_a_bounce_is_threaded_to_the_message_it_returns() -> None:
    raw = (
        b"From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\r\nTo: alex@example.com\r\n"
        b"Subject: Undelivered Mail Returned to Sender\r\nDate: Tue, 10 Mar 2026 09:00:00 +0000\r\n"
        b"Message-ID: <bounce-1@mx.example.net>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nThe address neil@acme.com does not exist.\r\n"
        b"--b\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: alex@example.com\r\nTo: neil@acme.com\r\n"
        b"Subject: Thank you\r\nMessage-ID: <thanks-1@example.com>\r\n--b--\r\n"
    )
    message = parse_message(raw, FolderRole.INBOX)
    assert "thanks-1@example.com" in message.conversation_ids
    assert "bounce-1@mx.example.net" in message.conversation_ids


def test_quoted_messages_newest_first_with_outlooks_rule_kept_with_its_header() -> None:
    from agent.parsing import quoted_messages

    text = (
        "Perfect, see you then.\n\n________________________________\nFrom: Hannah <h@example.com>\n"
        "Sent: Thursday, February 12, 2026 12:31 PM\nTo: Sherry <s@example.com>\nSubject: RE: Interview\n\n"
        "Thursday the 19th at 1:00 works for me.\n\nOn Thu, Feb 12, 2026 at 9:05 AM Sherry <s@example.com> wrote:\n"
        "> Could we move your interview to Thursday?\n"
    )
    blocks = quoted_messages(text)
    assert len(blocks) == 2
    assert blocks[0].startswith("____") and "works for me" in blocks[0]
    assert blocks[1].startswith("On Thu") and "Could we move" in blocks[1]
    assert quoted_messages("Just my own words, nothing quoted.") == []


def test_a_from_field_encoded_whole_address_and_all_still_gives_the_sender() -> None:
    raw = (
        b"From: =?utf-8?q?Nadine_K=C3=A4ser_=3Calpenfracht=40successfactors=2Eeu=3E?=\r\n"
        b"To: lukas@bluewin.ch\r\nSubject: Zwischenbescheid\r\nDate: Fri, 20 Feb 2026 11:30:00 +0100\r\n"
        b"Message-ID: <z1@successfactors.eu>\r\n\r\nGuten Tag\r\n"
    )
    message = parse_message(raw, FolderRole.INBOX)
    assert message.sender == Address("Nadine Käser", "alpenfracht@successfactors.eu")


@pytest.mark.parametrize(
    "quote",
    [
        "De: Diego <diego@x.com>\nEnviado: jueves, 12 de febrero de 2026\nPara: Valeria <v@s.pe>\nAsunto: Gracias\n",
        "-----Mensaje original-----\nDe: Diego <diego@x.com>\nEnviado: jueves\nAsunto: Gracias\n",
        "-----Ursprüngliche Nachricht-----\nVon: Diego <diego@x.com>\nGesendet: Donnerstag\nBetreff: Danke\n",
        "De : Camille <c@x.fr>\nEnvoyé : lundi 2 mars\nÀ : Paul <p@x.fr>\nObjet : Merci\n",
    ],
)
def test_outlook_quotes_in_other_languages_are_stripped(quote: str) -> None:
    text = f"Te escribo para consultar si hay novedades.\n\nDiego\n\n{quote}\nMuchas gracias por la entrevista de hoy."
    assert strip_quoted(text) == "Te escribo para consultar si hay novedades.\n\nDiego"
