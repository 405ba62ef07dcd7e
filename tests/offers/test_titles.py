import pytest

from offers.models import GenderMention
from offers.titles import spoken
from tests.factories import make_offer, make_organisation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("Chargé·e de mission", "Chargé ou chargée de mission"),
        ("Secrétaire général.e", "Secrétaire général ou générale"),
        ("Coordinateur·trice", "Coordinateur ou coordinatrice"),
        ("Collaborateur·rice parlementaire", "Collaborateur ou collaboratrice parlementaire"),
        ("Attaché-e de presse (H/F)", "Attaché ou attachée de presse"),
        ("Chargé(e) de communication", "Chargé ou chargée de communication"),
        ("Adjoint·e à la direction (h/f/x)", "Adjoint ou adjointe à la direction"),
        ("Conseiller politique Hauts-de-France", "Conseiller politique Hauts-de-France"),
    ],
)
def test_inclusive_titles_are_said_in_full(written, said):
    assert spoken(written) == said


def test_the_organisation_adds_its_countrys_gender_mention_where_the_title_has_none():
    belgian = make_organisation(gender_mention=GenderMention.BELGIUM)
    assert make_offer(organisation=belgian, title="Assistant·e").display_title == "Assistant·e (h/f/x)"
    assert make_offer(organisation=belgian, title="Assistant (H/F)").display_title == "Assistant (H/F)"
    assert make_offer(title="Assistant·e").display_title == "Assistant·e"


def test_pages_show_the_title_as_written_and_give_screen_readers_the_spoken_form(client):
    offer = make_offer(title="Chargé·e de mission", organisation=make_organisation(gender_mention=GenderMention.FRANCE))
    html = client.get(offer.get_absolute_url()).content.decode()
    assert '<span aria-hidden="true">Chargé·e de mission (H/F)</span>' in html
    assert '<span class="visually-hidden">Chargé ou chargée de mission</span>' in html
    listing = client.get("/offres/").content.decode()
    assert '<span class="visually-hidden">Chargé ou chargée de mission</span>' in listing
