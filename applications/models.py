# Applications, their documents and the pipeline arrive with the application forms.
