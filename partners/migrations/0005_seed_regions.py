"""Seed the regions of the programmes' countries of origin, so that every installation (and the test
database) has them: Senegal's 14 regions, and Côte d'Ivoire's 14 districts (12 districts and the
autonomous districts of Abidjan and Yamoussoukro). Also the region group the PEM-WECCO evaluation
watched (the Dakar–Thiès axis), which a programme may choose as its watched group."""

from django.db import migrations

from accounts.roles import grant_role_permissions

#: (country, code, French name, English name); the codes are internal (criteria, imports), never shown.
REGIONS = [
    ("SN", "dakar", "Dakar", "Dakar"),
    ("SN", "thies", "Thiès", "Thiès"),
    ("SN", "diourbel", "Diourbel", "Diourbel"),
    ("SN", "fatick", "Fatick", "Fatick"),
    ("SN", "kaffrine", "Kaffrine", "Kaffrine"),
    ("SN", "kaolack", "Kaolack", "Kaolack"),
    ("SN", "kedougou", "Kédougou", "Kédougou"),
    ("SN", "kolda", "Kolda", "Kolda"),
    ("SN", "louga", "Louga", "Louga"),
    ("SN", "matam", "Matam", "Matam"),
    ("SN", "saint-louis", "Saint-Louis", "Saint-Louis"),
    ("SN", "sedhiou", "Sédhiou", "Sédhiou"),
    ("SN", "tambacounda", "Tambacounda", "Tambacounda"),
    ("SN", "ziguinchor", "Ziguinchor", "Ziguinchor"),
    ("CI", "abidjan", "District autonome d'Abidjan", "Abidjan Autonomous District"),
    ("CI", "yamoussoukro", "District autonome de Yamoussoukro", "Yamoussoukro Autonomous District"),
    ("CI", "bas-sassandra", "Bas-Sassandra", "Bas-Sassandra"),
    ("CI", "comoe", "Comoé", "Comoé"),
    ("CI", "denguele", "Denguélé", "Denguélé"),
    ("CI", "goh-djiboua", "Gôh-Djiboua", "Gôh-Djiboua"),
    ("CI", "lacs", "Lacs", "Lacs"),
    ("CI", "lagunes", "Lagunes", "Lagunes"),
    ("CI", "montagnes", "Montagnes", "Montagnes"),
    ("CI", "sassandra-marahoue", "Sassandra-Marahoué", "Sassandra-Marahoué"),
    ("CI", "savanes", "Savanes", "Savanes"),
    ("CI", "vallee-du-bandama", "Vallée du Bandama", "Vallée du Bandama"),
    ("CI", "woroba", "Woroba", "Woroba"),
    ("CI", "zanzan", "Zanzan", "Zanzan"),
]

DAKAR_THIES = {"name": "Axe Dakar–Thiès", "name_fr": "Axe Dakar–Thiès", "name_en": "Dakar–Thiès axis"}


def seed(apps, schema_editor):
    Region = apps.get_model("partners", "Region")
    RegionGroup = apps.get_model("partners", "RegionGroup")
    order: dict[str, int] = {}
    for country, code, name_fr, name_en in REGIONS:
        order[country] = order.get(country, 0) + 1
        Region.objects.update_or_create(
            country=country,
            code=code,
            defaults={"name": name_fr, "name_fr": name_fr, "name_en": name_en, "order": order[country]},
        )
    group, _created = RegionGroup.objects.get_or_create(country="SN", name_fr=DAKAR_THIES["name_fr"], defaults=DAKAR_THIES)
    group.regions.set(Region.objects.filter(country="SN", code__in=["dakar", "thies"]))


def grant(apps, schema_editor):
    # Staff manage the regions and groups; every role that sees companies may read their regions.
    readers = ["view_region", "view_regiongroup"]
    grant_role_permissions(
        apps,
        "partners",
        {"staff": ["*"], "coach": readers, "reviewer": readers, "entrepreneur": readers, "committee": readers, "evaluator": readers},
    )


def unseed(apps, schema_editor):
    apps.get_model("partners", "RegionGroup").objects.filter(country="SN", name_fr=DAKAR_THIES["name_fr"]).delete()


class Migration(migrations.Migration):
    dependencies = [("partners", "0004_regions_and_countries"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(seed, unseed), migrations.RunPython(grant, migrations.RunPython.noop)]
