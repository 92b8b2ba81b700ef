"""Every model's declared scope paths are queries the database accepts: a wrong path (say a prefix lookup on
a foreign key) would turn every page of that model into a 500 for the roles scoped that way."""

import pytest
from django.apps import apps
from django.db.models import Q

from layan.core.scopes import code_prefix_q

SCOPED_MODELS = [m for m in apps.get_models() if getattr(m, "scope_paths", None) is not None]


def test_the_scoped_models_are_found():
    labels = {m._meta.label for m in SCOPED_MODELS}
    assert {"org.Employee", "attendance.Roster", "aid.Resident", "complaints.Case"} <= labels


@pytest.mark.django_db
@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m._meta.label)
def test_each_scope_path_is_a_valid_query(model, django_user_model):
    paths = model.scope_paths
    user = django_user_model.objects.create(username="scope-path-check")
    conditions = []
    if paths.region:
        conditions.append(code_prefix_q(paths.region, "72.01"))
    if paths.unit:
        conditions.append(code_prefix_q(paths.unit, "/1/", separator="/"))
    if paths.owner:
        conditions.append(Q(**{paths.owner: user}))
    if paths.supervisor:
        conditions.append(Q(**{paths.supervisor: user}))
    assert conditions, f"{model._meta.label} declares no scope path"
    for condition in conditions:
        assert model.objects.filter(condition).exists() is False
