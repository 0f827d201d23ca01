"""Side effects on memberships and authentication: country groups and the access log."""
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import access
from .models import AccessEvent, Membership


@receiver([post_save, post_delete], sender=Membership)
def _membership_changed(sender, instance, **kwargs):
    access.sync_country_groups(instance.user)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    access.log_access(request, AccessEvent.Kind.LOGIN)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        access.log_access(request, AccessEvent.Kind.LOGOUT, username=user.get_username())


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    access.log_access(request, AccessEvent.Kind.LOGIN_FAILED, username=credentials.get("username", ""))


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    access.log_access(request, AccessEvent.Kind.LOCKED_OUT, username=username or "")
