app_name = "portfolio"

urlpatterns: list = []
