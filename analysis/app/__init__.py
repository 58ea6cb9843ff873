"""The browser app: two variants of a scenario side by side on one seed (``alliance-sim viz``).

* :mod:`analysis.app.comparison`: the wrapper model owning variants A and B;
* :mod:`analysis.app.levers`: levers for B, generated from the schema's field metadata;
* :mod:`analysis.app.drawing`: the network and time-series figures (matplotlib);
* :mod:`analysis.app.components`: the page's views;
* :mod:`analysis.app.session`: a session's starting settings;
* :mod:`analysis.app.page`: the Solara page (Mesa's SolaraViz);
* :mod:`analysis.app.assets`: Solara's front-end files for machines without internet.

Only :mod:`~analysis.app.comparison`, :mod:`~analysis.app.levers` and
:mod:`~analysis.app.drawing` load without Solara.
"""
