"""One module per screen; `cna_app.views.router.SCREENS` maps routes to them."""
