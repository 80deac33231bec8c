"""Surveys in Chromium: an organiser writes one (a question of each kind, in both languages),
a present person with an Arabic name answers it on a phone in French from her private page,
a mistake shown next to its field and nothing typed lost, then changes an answer in English;
the organiser reads the results. axe-core checks each page at desktop and phone widths."""

import datetime
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rencontres.editions.tests.test_browser import assert_fits, check, log_in, watch_csp
from rencontres.followup.models import Answer, Response, Survey
from rencontres.onsite.models import CheckIn
from rencontres.registration.tests.factories import open_edition, registered

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SURVEY_SCREENSHOTS")  # a folder: pages are saved there to look at


def shoot(page, name):
    if not SHOTS:
        return
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_organiser_writes_a_survey_and_a_participant_answers_it_on_a_phone(
    browser_page, live_server, settings
):
    settings.SITE_URL = live_server.url
    edition = open_edition()
    person = registered(edition, first_name="ليلى", last_name="بن علي", language="fr")
    CheckIn.objects.create(registration=person, day=edition.starts_on, door="A")
    page = browser_page

    log_in(page, live_server, f"/fr/organiser/{edition.number}/surveys/")
    page.get_by_role("link", name="Nouveau questionnaire").click()
    check(page)
    page.get_by_label("Titre (français)").fill("Votre avis sur les Rencontres")
    page.get_by_label("Titre (anglais)").fill("Your opinion of the Meetings")
    page.get_by_role("radio", name="Anonymes").check()
    opens = timezone.localtime() - datetime.timedelta(hours=1)
    page.get_by_label("Ouverture").fill(opens.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Clôture").fill(
        (opens + datetime.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")
    )
    first, second = page.locator("#question-1"), page.locator("#question-2")
    first.get_by_label("Type de réponse").select_option("rating")
    first.get_by_label("Question (français)").fill("Note globale")
    first.get_by_label("Question (anglais)").fill("Overall rating")
    first.get_by_label("Réponse obligatoire").check()
    second.get_by_label("Type de réponse").select_option("choices")
    second.get_by_label("Question (français)").fill("Formats utiles")
    second.get_by_label("Question (anglais)").fill("Useful formats")
    second.get_by_label("Choix (français)").fill("Ateliers\nPlénières")
    # One choice in English for two in French: refused next to the field, the rest kept.
    second.get_by_label("Choix (anglais)").fill("Workshops")
    page.get_by_role("button", name="Enregistrer le questionnaire").click()
    expect(page.locator(".error-summary")).to_contain_text("autant de choix qu’en français")
    assert page.locator("#question-2").get_by_label("Choix (français)").input_value() == (
        "Ateliers\nPlénières"
    )
    check(page)
    page.locator("#question-2").get_by_label("Choix (anglais)").fill("Workshops\nPlenaries")
    page.get_by_role("button", name="Enregistrer le questionnaire").click()
    expect(page.get_by_role("status").first).to_contain_text("Le questionnaire est enregistré.")
    # Saved: two new rows for more questions.
    third = page.locator("#question-3")
    third.get_by_label("Type de réponse").select_option("text")
    third.get_by_label("Question (français)").fill("Remarques")
    third.get_by_label("Question (anglais)").fill("Remarks")
    page.get_by_role("button", name="Enregistrer le questionnaire").click()
    expect(page.get_by_role("status").first).to_contain_text("Le questionnaire est enregistré.")
    survey = Survey.objects.get()
    assert survey.anonymous and survey.questions.count() == 3
    check(page)
    shoot(page, "editor")
    page.goto(f"{live_server.url}/fr/organiser/{edition.number}/surveys/")
    check(page)

    # The participant, on her phone, from her private page.
    phone = page.context.browser.new_context(viewport={"width": 360, "height": 800}, locale="fr-FR")
    watch_csp(phone)
    mobile = phone.new_page()
    mobile.goto(f"{live_server.url}/fr/r/{person.public_id}/{person.secret}/")
    mobile.get_by_role("link", name="Votre avis sur les Rencontres").click()
    expect(mobile.locator("#survey-kind")).to_contain_text("Ce questionnaire est anonyme")
    mobile.get_by_label("Remarques").fill("Très utile : بارك الله فيكم، 谢谢")
    mobile.get_by_role("checkbox", name="Ateliers").check()
    mobile.get_by_role("button", name="Envoyer mes réponses").click()  # the rating forgotten
    expect(mobile.locator(".error-summary")).to_contain_text("Note globale")
    assert mobile.get_by_label("Remarques").input_value() == "Très utile : بارك الله فيكم، 谢谢"
    assert mobile.get_by_role("checkbox", name="Ateliers").is_checked()
    assert_fits(mobile)
    check(mobile)
    mobile.get_by_role("radio", name="4 – bon").check()
    mobile.get_by_role("button", name="Envoyer mes réponses").dblclick()
    expect(mobile.get_by_role("status").first).to_contain_text("vos réponses sont enregistrées")
    assert Response.objects.count() == 1
    shoot(mobile, "answered-fr")
    check(mobile)

    # In English, from the same phone: her answer is there to change.
    mobile.goto(f"{live_server.url}/en/r/{person.public_id}/{person.secret}/surveys/{survey.pk}/")
    assert mobile.get_by_role("radio", name="4 – good").is_checked()
    mobile.get_by_role("radio", name="5 – very good").check()
    mobile.get_by_role("button", name="Save my changes").click()
    expect(mobile.get_by_role("status").first).to_contain_text("your answers are saved")
    assert Answer.objects.get(question__kind="rating").rating == 5
    assert Response.objects.get().registration is None
    check(mobile)
    phone.close()

    page.goto(f"{live_server.url}/en/organiser/{edition.number}/surveys/{survey.pk}/results/")
    main = page.locator("main")
    expect(main).to_contain_text("average 5.0 out of 5")
    expect(main).to_contain_text("بارك الله فيكم")
    assert "بن علي" not in main.inner_text()  # anonymous: nobody named
    check(page)
    shoot(page, "results")
