"""Names and sentences for the invented applications of `manage.py seed_scale` (applications/seed.py)."""

FIRST_NAMES = (
    "Anne", "Mette", "Lars", "Peter", "Hanne", "Jens", "Søren", "Camilla", "Mads", "Louise",
    "Rasmus", "Line", "Henrik", "Sofie", "Thomas", "Maria", "Karen", "Niels", "Ida", "Jakob",
)  # fmt: skip
LAST_NAMES = (
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen",
)  # fmt: skip
SENTENCES = (
    "Projektet retter sig mod flygtninge og familiesammenførte, der har været ledige i mere end to år.",
    "Indsatsen bygger på en tæt kobling mellem sprogundervisning og virksomhedspraktik fra første uge.",
    "Hver deltager får en fast kontaktperson, der følger forløbet fra visitation til ordinær ansættelse.",
    "Kommunen har gode erfaringer med brancherettede forløb inden for rengøring, lager og ældrepleje.",
    "Virksomhedskonsulenterne opsøger lokale arbejdsgivere og aftaler praktikpladser med mentorstøtte.",
    "Familieorienterede samtaler skal sikre, at hele husstanden bakker op om beskæftigelsesmålet.",
    "Progressionen måles kvartalsvis med FIP-værktøjet, besvaret af både borger og sagsbehandler.",
    "Frivillige foreninger inddrages som sprogmakkere og netværk uden for arbejdstiden.",
    "Erfaringerne fra projektet formidles til andre kommuner gennem ambassadørnetværket.",
    "Ledelsen af jobcentret er projektejer og orienterer det politiske udvalg hvert kvartal.",
    "Målgruppen har ofte helbredsmæssige udfordringer, som håndteres i samarbejde med sundhedsområdet.",
    "Der etableres IGU-forløb, hvor det er muligt, så deltagerne kombinerer løn og uddannelse.",
    "De unge tilbydes fritidsjob og lektiehjælp i samarbejde med ungdomsskolen og lokale idrætsklubber.",
    "Projektet forankres i den daglige drift ved at indarbejde metoderne i jobcentrets faste forløb.",
    "Budgettet dækker primært løn til projektleder, virksomhedskonsulent og to mentorer.",
    "Borgerne deltager i et inspirationsforløb, hvor de møder virksomheder og tidligere deltagere.",
    "Samarbejdet med sprogcentret sikrer, at danskundervisningen tager udgangspunkt i arbejdspladsens sprog.",
    "Et tværfagligt team mødes ugentligt og koordinerer indsatsen på tværs af forvaltningerne.",
)
TITLES = (
    "Job og sprog for kvinder i {name}",
    "Vejen til ordinært job – {name}",
    "Brobygning til arbejdsmarkedet i {name}",
    "Familien i arbejde – {name}",
    "Virksomhedsnær integration i {name}",
    "Unge nytilkomne i uddannelse og job ({name})",
    "Branchepakker og mentorstøtte i {name}",
    "Sprogmakkere og virksomhedspraktik i {name}",
)
