"""Front Door's custom actions, served by the rasa-sdk action server.

Every reply is built here at run time from the content store and the council's configuration,
and each turn ends with one ``custom`` message that carries the reply contract's ``kind``.
"""
