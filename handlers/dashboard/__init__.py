"""The coordinators' dashboard on the web: Starlette routes and Jinja2 templates over bot.dashboard."""
