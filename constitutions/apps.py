from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConstitutionsConfig(AppConfig):
    name = "constitutions"
    verbose_name = _("Constitutions")
