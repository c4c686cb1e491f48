"""URL patterns of one area, included by the app's urls.py (which sets the namespace)."""

urlpatterns: list = []
