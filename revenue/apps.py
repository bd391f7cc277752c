from django.apps import AppConfig


class RevenueConfig(AppConfig):
    name = "revenue"
    verbose_name = "IT-driven revenue"
