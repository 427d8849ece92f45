import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from ccgs.models import CCG, Commissioner, LocalityGroup
from records.models import Source
from records.permissions import ADMINS, SCRUTINY, STP_STAFF


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


class LocalityGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalityGroup
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Locality {n}")
    slug = factory.Sequence(lambda n: f"locality-{n}")


class CCGFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CCG

    name = factory.Sequence(lambda n: f"Test CCG {n}")
    slug = factory.Sequence(lambda n: f"test-ccg-{n}")
    ods_code = factory.Sequence(lambda n: f"T{n:02d}")
    locality_group = factory.SubFactory(LocalityGroupFactory)


class CommissionerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commissioner
        django_get_or_create = ["name"]

    name = "Test strategic commissioner"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Board paper {n}")
    publisher = "Test CCG governing body"
    published = factory.LazyFunction(timezone.localdate)
    quote = "The governing body agreed the proposal."
