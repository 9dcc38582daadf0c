from django.http import HttpResponse


def overview(r):
    return HttpResponse()


breakdown = commune_map = monthly_report = overview
