import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from ccgs.models import CCG, Commissioner, LocalityGroup
from decisions.services import memberships_for_new_arrangement
from records.history import save_with_history
from records.models import Source
from records.permissions import ADMINS, SCRUTINY, STP_STAFF
from roles.models import Person


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def group(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
            self.is_staff = extracted == ADMINS
        self.save()


def staff_user(**kwargs):
    return UserFactory(group=STP_STAFF, **kwargs)


def scrutiny_user(**kwargs):
    return UserFactory(group=SCRUTINY, **kwargs)


def admin_user(**kwargs):
    return UserFactory(group=ADMINS, **kwargs)


def test_data_user():
    return UserFactory(username="test.data", first_name="Test", last_name="Data")


class TrackedFactory(factory.django.DjangoModelFactory):
    """Rows of tracked models are saved as the services save them: with a user and a
    reason in their history (a plain save is refused)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        lookup = {field: kwargs[field] for field in cls._meta.django_get_or_create}
        if lookup and (existing := model_class.objects.filter(**lookup).first()):
            return existing
        obj = model_class(*args, **kwargs)
        save_with_history(obj, user=test_data_user(), reason="Made by a test factory")
        return obj

    @classmethod
    def _get_or_create(cls, model_class, *args, **kwargs):
        return cls._create(model_class, *args, **kwargs)


class LocalityGroupFactory(TrackedFactory):
    class Meta:
        model = LocalityGroup
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Locality {n}")
    slug = factory.Sequence(lambda n: f"locality-{n}")


class CCGFactory(TrackedFactory):
    class Meta:
        model = CCG

    name = factory.Sequence(lambda n: f"Test CCG {n}")
    slug = factory.Sequence(lambda n: f"test-ccg-{n}")
    ods_code = factory.Sequence(lambda n: f"T{n:02d}")
    locality_group = factory.SubFactory(LocalityGroupFactory)


class CommissionerFactory(TrackedFactory):
    class Meta:
        model = Commissioner
        django_get_or_create = ["name"]

    name = "Test strategic commissioner"


STORY_SLUG = "kent-and-medway-strategic-commissioner"


def story():
    """The 2018 arrangement (the ``kent_medway`` fixture's), whose record a test adds to."""
    return Commissioner.objects.get(slug=STORY_SLUG)


def second_arrangement(name="Kent and Medway single CCG", form="Merger into one CCG"):
    """An arrangement beside the 2018 one (a merger, as 001 foresaw), every CCG in it with no
    record yet: made through the service, as the admin makes one."""
    arrangement = CommissionerFactory(name=name, form=form)
    memberships_for_new_arrangement(
        commissioner=arrangement, user=test_data_user(), reason="Made by a test factory"
    )
    return arrangement


def new_ccg_form(locality_group):
    """The admin's add-a-CCG form as an admin fills it in: Medway South, formed by a merger,
    in ``locality_group``."""
    return {
        "name": "Medway South",
        "slug": "medway-south",
        "ods_code": "99X",
        "ods_code_source": "",
        "locality_group": locality_group.pk,
        "locality_note": "",
        "change_reason": "A CCG formed by a merger",
    }


class SourceFactory(TrackedFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Board paper {n}")
    publisher = "Test CCG governing body"
    published = factory.LazyFunction(timezone.localdate)
    quote = "The governing body agreed the proposal."


class PersonFactory(TrackedFactory):
    class Meta:
        model = Person
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Test Person {n}")
