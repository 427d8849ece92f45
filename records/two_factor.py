"""Two-factor sign-in (TOTP, django-otp) for the people who change the record.

STP staff and admins confirm a code from an authenticator app after their password,
when TWO_FACTOR_REQUIRED is on (the default whenever DEBUG is off). The first time, the
page shows the key to add to the app and asks for a code to confirm it.
"""

import base64

from django import forms
from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import nhsuk
from .permissions import ADMINS, STP_STAFF

CHANGES_THE_RECORD = {STP_STAFF, ADMINS}


def needs_second_factor(user):
    """Whether ``user`` must confirm a code before using the service."""
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    names = getattr(user, "group_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
    return user.is_superuser or bool(names & CHANGES_THE_RECORD)


class CodeForm(forms.Form):
    code = nhsuk(
        forms.CharField(
            label="Code from your authenticator app",
            max_length=8,
            help_text="6 numbers, for example 123456.",
            error_messages={"required": "Enter the 6 numbers from your authenticator app."},
        ),
        width="10",
        autocomplete="one-time-code",
    )


def two_factor(request):
    """Confirm the code; set up the authenticator app first if there is none yet."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device, _ = TOTPDevice.objects.get_or_create(
            user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
        )
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            if setting_up:
                device.confirmed = True
                device.save()
            otp_login(request, device)
            return redirect(next_url)
        form.add_error("code", "That code is not right, or has expired. Enter the newest one.")
    return render(
        request,
        "registration/two_factor.html",
        {
            "form": form,
            "setting_up": setting_up,
            "key": base64.b32encode(device.bin_key).decode() if setting_up else "",
            "config_url": device.config_url if setting_up else "",
            "next": next_url,
        },
    )
