"""People for tests. Every factory user can sign in with `password_for(user)`."""

import factory
from factory.django import DjangoModelFactory

from accounts.models import ContactPreference, Language, ManagedPerson, Role, User
from accounts.privacy_notice import PRIVACY_NOTICE_VERSION

# Long and unusual enough to pass every password validator in settings.
DEFAULT_PASSWORD = "tandem-Factory-pass-2024!"


def password_for(user: User) -> str:
    """The password a factory user signs in with (the same for all of them)."""
    return DEFAULT_PASSWORD


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    class Params:
        coordinator = factory.Trait(roles=[Role.COORDINATOR])
        helper = factory.Trait(roles=[Role.HELPPER])

    email = factory.Sequence(lambda number: f"person{number}@example.org")
    display_name = factory.Sequence(lambda number: f"Person {number}")
    language = Language.FRENCH
    postcode = "1000"
    roles = factory.LazyFunction(lambda: [Role.HELPPIE])
    password = DEFAULT_PASSWORD
    # As someone who signed up on the page: they accepted the current privacy notice.
    privacy_notice_version = PRIVACY_NOTICE_VERSION

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Through the manager, so the password is hashed as in real life.
        manager = cls._get_manager(model_class)
        return manager.create_user(*args, **kwargs)


class CoordinatorFactory(UserFactory):
    coordinator = True


class PersonWithoutEmailFactory(UserFactory):
    """The account of a person without e-mail: no address, no usable password."""

    email = None
    password = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs.pop("password", None)
        user = model_class(*args, **kwargs)
        user.set_unusable_password()
        user.save()
        return user


class ManagedPersonFactory(DjangoModelFactory):
    """A person without e-mail and their record; `managed_by=[...]` names their team (a new
    coordinator unless given). Their phone is a well-formed Belgian mobile number in E.164."""

    class Meta:
        model = ManagedPerson
        skip_postgeneration_save = True

    user = factory.SubFactory(PersonWithoutEmailFactory, postcode="5000")
    phone = factory.Sequence(lambda number: f"+32470{number % 1_000_000:06d}")
    contact_preference = ContactPreference.COORDINATOR_CALL
    consent_wording_version = PRIVACY_NOTICE_VERSION

    @factory.post_generation
    def managed_by(self, create, extracted, **kwargs):
        if create:
            self.managed_by.set(extracted if extracted is not None else [CoordinatorFactory()])
