"""``{{ user|is_secretariat }}``: the role for the site's menu, from ``members.roles``."""

from django import template

from members import roles

register = template.Library()


@register.filter(name="is_secretariat")
def is_secretariat(user) -> bool:
    return roles.is_secretariat(user)
