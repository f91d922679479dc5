"""Account pages are Django's auth views (see urls.py) with the templates in templates/registration/.
The home page lives in `cohorts.views.home`, because it lists cohort-level objects."""
