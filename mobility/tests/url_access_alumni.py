"""Who may open the alumni pages: the directory is the team's; the peer-mentoring answer is the
entrepreneur's own."""

from accounts.tests.url_access import only

ACCESS = {
    "mobility:alumni_list": only("staff"),
    "mobility:peer_mentor_edit": only("entrepreneur"),
}
