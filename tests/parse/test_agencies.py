from newstag.parse.agencies import agency_for_credit, find_agencies


def test_trailing_credit_and_cited_agency():
    body = "Officials met, news agency Interfax reported.\n\nMore talks follow, he said. (dpa)"
    assert find_agencies(body) == ("Interfax", "dpa")


def test_full_names_anywhere():
    body = "The minister told the Associated Press that Xinhua had misquoted him."
    assert find_agencies(body) == ("AP", "Xinhua")


def test_short_acronyms_need_a_credit_position():
    # "PA" and "AP" as plain words or initials are not agencies.
    body = "The PA system failed and AP biology exams were delayed in Springfield."
    assert find_agencies(body) == ()


def test_dateline_credit_comes_first():
    assert find_agencies("Prices rose, Kyodo said.", dateline_agency="Reuters") == ("Reuters", "Kyodo")


def test_credit_lookup_is_case_insensitive_for_known_forms():
    assert agency_for_credit("(AFP)") == "AFP"
    assert agency_for_credit("REUTER") == "Reuters"
    assert agency_for_credit("(see chart)") is None


def test_short_credits_beside_agency_or_a_verb_of_saying():
    assert find_agencies("Talks resumed, the state news agency IRNA said.") == ("IRNA",)
    assert find_agencies("Five people died, AFP reported from the scene.") == ("AFP",)
    assert find_agencies("Five people died, Afp reported.") == ()
