"""People for tests. Every factory user can sign in with `password_for(user)`."""

import factory
from factory.django import DjangoModelFactory

from accounts.models import Language, Role, User
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
