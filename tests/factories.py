"""factory_boy factories for every model the tests build."""
import datetime as dt

import factory
from django.contrib.auth import get_user_model

from countries.models import Agency, Country, Membership, Role
from operations import models as om


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: "Q" + chr(65 + (n // 26) % 26) + chr(65 + n % 26))
    name = factory.LazyAttribute(lambda o: f"Country {o.code}")
    time_zone = "Asia/Bangkok"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    country = factory.SubFactory(CountryFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = Agency.Kind.POLICE


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.OFFICER


class JointOperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.JointOperation

    name = factory.Sequence(lambda n: f"Joint operation {n}")
    slug = factory.Sequence(lambda n: f"joint-operation-{n}")
    starts_on = dt.date(2015, 9, 28)
    ends_on = dt.date(2015, 10, 28)
    status = om.JointOperation.Status.ACTIVE


class OperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.Operation

    joint_operation = factory.SubFactory(JointOperationFactory)
    lead_agency = factory.SubFactory(AgencyFactory)
    country = factory.LazyAttribute(lambda o: o.lead_agency.country)
    name = factory.LazyAttribute(lambda o: f"Operation in {o.country.code}")
    crime_types = [om.CrimeType.TRAFFICKING]


class OutcomeRecordFactory(factory.django.DjangoModelFactory):
    operation = factory.SubFactory(OperationFactory)
    country = factory.LazyAttribute(lambda o: o.operation.country)
    agency = factory.LazyAttribute(lambda o: o.operation.lead_agency)
    occurred_on = factory.LazyAttribute(lambda o: o.operation.joint_operation.starts_on)


class ArrestRecordFactory(OutcomeRecordFactory):
    class Meta:
        model = om.ArrestRecord

    count = 2
    crime_type = om.CrimeType.TRAFFICKING


class VictimAssistanceRecordFactory(OutcomeRecordFactory):
    class Meta:
        model = om.VictimAssistanceRecord

    count = 3
    sex = om.Sex.FEMALE
    age_band = om.AgeBand.ADULT_18_24
    nationality = "MMR"
    exploitation_type = om.ExploitationType.LABOUR
    sector = om.Sector.FISHING


class EnquiryRecordFactory(OutcomeRecordFactory):
    class Meta:
        model = om.EnquiryRecord

    count = 1
    counterpart = factory.SubFactory(CountryFactory)
    channel = om.EnquiryChannel.DIRECT
    crime_type = om.CrimeType.SMUGGLING
