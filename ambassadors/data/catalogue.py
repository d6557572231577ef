"""The 15 entries of Rambøll's inspiration catalogue "I mål med integration" (seed 001) as data.

Titles are those of the catalogue's contents list; summaries paraphrase the entry's own text;
the contacts are those the entry gives, with their roles, exactly as printed there (the catalogue
is public and asks readers to call them): Assens and Vesthimmerland give two each. Randers,
Syddjurs and Norddjurs share one entry: Randers leads (its project manager is the contact), and
the entry is of all three municipalities.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..models.choices import Theme

# The catalogue's own title; it names no year or address of its own.
SOURCE = "Rambøll: I mål med integration – et inspirationskatalog med gode veje mod bedre integration"


@dataclass(frozen=True)
class Contact:
    name: str
    role: str
    email: str
    phone: str

    def as_data(self) -> dict[str, str]:
        return {"name": self.name, "role": self.role, "email": self.email, "phone": self.phone}


@dataclass(frozen=True)
class CatalogueEntry:
    municipality: str  # 3-digit code of the municipality that leads the entry
    theme: str
    title: str
    summary: str
    tags: tuple[str, ...]
    contacts: tuple[Contact, ...]
    partners: tuple[str, ...] = ()  # codes of the other municipalities sharing the entry

    @property
    def municipalities(self) -> tuple[str, ...]:
        return (self.municipality, *self.partners)

    def as_data(self) -> dict[str, Any]:
        """The entry as services.propose_practice takes it."""
        return {
            "municipality": self.municipality,
            "municipalities": list(self.municipalities),
            "theme": self.theme,
            "title": self.title,
            "summary": self.summary,
            "tags": list(self.tags),
            "contacts": [contact.as_data() for contact in self.contacts],
            "source": SOURCE,
        }


RAMBOLL_CATALOGUE: tuple[CatalogueEntry, ...] = (
    CatalogueEntry(
        municipality="420",
        theme=Theme.CROSS_DISCIPLINARY,
        title="Tværfaglig organisering",
        summary=(
            "Assens Kommune vandt i 2011 integrationsprisen for den familie- og helhedsorienterede "
            "indsats “Hele familiens integration”, og dagens integrationsindsats bygger på de samme "
            "elementer. Sagsbehandleren har både jobcentermyndighedsrollen, rollen som familiekonsulent "
            "og kompetencen på enkeltydelsesområdet, og boligkonsulenter, virksomhedskonsulenter og "
            "mentorer sidder i samme integrationsafdeling under én ledelse. Afdelingen er blevet ét "
            "kontaktcenter, så borgere og virksomheder kun skal kommunikere gennem én kanal. "
            "Organiseringen giver smidighed, hurtige omlægninger af borgernes indsatser og vidensdeling "
            "på tværs, men stiller store krav til medarbejderne."
        ),
        tags=("tværfaglighed", "organisering", "familieorienteret indsats", "én indgang", "vidensdeling"),
        contacts=(
            Contact("Brian Korsgaard", "Afdelingsleder", "bridk@assens.dk", "+45 64 74 70 58"),
            Contact("Umut Serin", "Projektleder", "umuse@assens.dk", "+45 24 75 31 30"),
        ),
    ),
    CatalogueEntry(
        municipality="810",
        theme=Theme.EMPOWERMENT,
        title="Empowerment",
        summary=(
            "Brønderslev Kommune arbejder intensivt med empowerment i hele jobcenteret, også på "
            "integrationsområdet, og alle medarbejdere har deltaget i fire heldagskursusmoduler. "
            "Tilgangen skal give borgerne mere indflydelse, mere eget ansvar og mere myndiggørelse. "
            "I praksis bruges dialogværktøjet 4R-modellen (rammer, retning, råderum og relationer) og "
            "Karl Tomms spørgsmål, der er nedsat empowermentarbejdsgrupper, og alle medarbejdere har en "
            "læringsmakker. Ledelsesopbakning er en forudsætning, og tilgangen har allerede givet flotte "
            "resultater i jobcenterets Ungecenter."
        ),
        tags=("empowerment", "4R-modellen", "myndiggørelse", "læringsmakker", "ledelsesopbakning"),
        contacts=(Contact("Tom Muurmand", "Projektleder", "tom.muurmand@99454545.dk", "+45 99 45 53 85"),),
    ),
    CatalogueEntry(
        municipality="710",
        theme=Theme.VISUAL_TOOLS,
        title="Visualiseringsredskaber",
        summary=(
            "Favrskov Kommune udvikler visualiseringsredskaber til samtalerne med borgerne for at "
            "inddrage dem mere og give samtalerne et mere jobrettet fokus. Kendte redskaber som "
            "beskæftigelsestrappen, ABC-jobs og opbygningen af danskuddannelsen bruges nu visuelt, så "
            "borgerne bedre kan se rammen for indsatsen og deres progression mod selvforsørgelse. "
            "Jobkonsulenterne følger op på virksomhedspraktikker med et opfølgningsskema, hvor lange "
            "tekststykker er skiftet ud med smileys. Målet er, at alle faggrupper og eksterne "
            "samarbejdspartnere som sprogskolen bruger de samme billeder."
        ),
        tags=("visualisering", "beskæftigelsestrappen", "samtaleredskaber", "progression", "smileys"),
        contacts=(Contact("Henriette Christensen", "Projektleder", "hec@favrskov.dk", "+45 24 59 45 86"),),
    ),
    CatalogueEntry(
        municipality="430",
        theme=Theme.CROSS_DISCIPLINARY,
        title="Tværfaglig organisering",
        summary=(
            "Faaborg-Midtfyn Kommune organiserer integrationsindsatsen tværfagligt, fordi forældre fx "
            "ikke kommer i beskæftigelse uden en grundlæggende tillid til daginstitutionerne. To "
            "arbejdsgrupper med alle koncernområder, der berører integrationsindsatsen, mødes ca. én gang "
            "om måneden efter hvert sit kommissorium for at gøre op med silotænkningen. Den ene "
            "faciliterer vidensdeling på tværs og har udviklet et fælles koncept for, hvordan "
            "medarbejderne i integrationsindsatsen klædes på. Arbejdsgrupperne letter samarbejdet på "
            "tværs af forvaltningerne, men deltagerkredsen kan blive så bred, at månedlige møder ikke "
            "giver mening for alle."
        ),
        tags=("tværfaglighed", "arbejdsgrupper", "silotænkning", "kommissorium", "vidensdeling"),
        contacts=(Contact("Julie Dyre", "Projektleder", "jaaga@fmk.dk", "+45 72 53 75 86"),),
    ),
    CatalogueEntry(
        municipality="217",
        theme=Theme.VISUAL_TOOLS,
        title="Visualiseringer af borgerforløb",
        summary=(
            "I Helsingør Kommune hænger der på virksomhedskonsulenternes kontor tavler med billeder af og "
            "oplysninger om borgerne, grupperet efter overskrifter som barsel, sygemelding og IGU, og hver "
            "konsulent har sin egen farve. Tavlerne giver et visuelt overblik over borgernes progression, "
            "sikrer at ingen borgere bliver glemt, og gør det let at finde en kollegas borger, der passer "
            "til et tilbud fra en virksomhed. Medarbejderne er glade for ordningen og tager større "
            "ejerskab for den enkelte borger, og tavlerne kan lukkes, når andre kommer forbi."
        ),
        tags=("visuelt overblik", "tavler", "borgerforløb", "progression", "sagsstammer"),
        contacts=(Contact("Lars Trap Olsen", "Afdelingschef", "lto05@helsingor.dk", "+45 49 28 33 60"),),
    ),
    CatalogueEntry(
        municipality="316",
        theme=Theme.COMPANY_COOPERATION,
        title="Virksomhedssamarbejdet",
        summary=(
            "Holbæk Kommune, Holbæk Jobcenter og AOF Sprogcenter Nordvest har sammen sat fokus på "
            "virksomhedssamarbejdet og udbreder gode råd til virksomheder, der ansætter en "
            "integrationsborger eller får en i virksomhedspraktik, løntilskud eller lignende. Rådene "
            "bygger på medarbejdernes erfaringer fra dialogen med borgerne og er samlet i notatet “10 gode "
            "råd, så I kommer godt fra start”. De første fem: introducér den nye medarbejder grundigt for "
            "de øvrige ansatte, forklar opgaverne tydeligt, vær tydelig om forventninger og “uskrevne "
            "regler”, brug enkle sætninger og konkrete ord, og gennemgå arbejdspladsens faste ritualer. "
            "Resten af rådene fås hos projektlederen."
        ),
        tags=("virksomheder", "virksomhedssamarbejde", "virksomhedspraktik", "løntilskud", "gode råd"),
        contacts=(Contact("Ibrahim Benli", "Projektleder", "ibben@holb.dk", "+45 72 36 26 73"),),
    ),
    CatalogueEntry(
        municipality="350",
        theme=Theme.PROFESSIONAL_BELIEFS,
        title="De fagprofessionelles beliefs",
        summary=(
            "Lejre Kommune har stort fokus på de fagprofessionelles beliefs (overbevisninger) om borgerne: "
            "det svære er ikke at matche borgerne som jobparate, men at se og behandle dem som jobparate. "
            "I oktober 2015 blev samtlige integrationsborgere revurderet, og over 80 % af flygtningene "
            "blev flyttet fra teamet for aktivitetsparate til teamet for jobparate, før det blev "
            "lovbestemt. Nye rådgivere og virksomhedskonsulenter, et ændret syn på borgerne og en massiv "
            "investeringsstrategi gav langt bedre resultater end tidligere."
        ),
        tags=("beliefs", "jobparate", "medarbejdernes syn på borgerne", "sagsstammer", "ledelsesfokus"),
        contacts=(Contact("Lasse Bjerregaard", "Afdelingschef", "labj@lejre.dk", "+45 61 18 20 22"),),
    ),
    CatalogueEntry(
        municipality="480",
        theme=Theme.INTERNSHIP_AND_HOURS,
        title="Kombinationen af praktiktimer og ordinære timer",
        summary=(
            "Nordfyns Kommune kombinerer virksomhedspraktikker med ordinært lønnede timer, selv om mange "
            "arbejdsgivere er vant til ulønnede praktikker. Man tager fat i eksisterende praktikker, hvor "
            "jobcenteret har en god og længerevarende relation, og starter i det små med 2–5 timers "
            "betalt arbejde. Virksomhedskonsulenten forventningsafstemmer med borger og virksomhed om 3–5 "
            "ting, der skal løses, og 3–5 opgaver, borgeren skal lære, så opfølgningen kan vise, hvornår "
            "løntimer kan komme på tale. De ordinære timer giver borgerne en arbejdsidentitet og gør dem "
            "mere motiverede og selvsikre."
        ),
        tags=("ordinære timer", "praktik", "løntimer", "forventningsafstemning", "arbejdsidentitet"),
        contacts=(Contact("Kim Sørensen", "Projektleder", "kimos@nordfyndkommune.dk", "+45 30 92 42 60"),),
    ),
    CatalogueEntry(
        municipality="461",
        theme=Theme.VULNERABLE_WOMEN,
        title="Den udsatte kvindegruppe",
        summary=(
            "Odense Kommune har sammensat et særligt forløb for kvinder uden arbejdsidentitet, som det har "
            "været svært at integrere på arbejdsmarkedet. Forløbet varer ideelt set et halvt år og "
            "begynder intensivt med en samtale om ugen på op til halvanden time: den første, "
            "“Relationen”, skal opbygge en god relation, og nummer to og tre, “Drømme og virkelighed”, "
            "handler om realistiske og beskæftigelsesrettede fremtidsmål. Den fjerde samtale kan være "
            "praktikforberedende, og efter behov suppleres med ekstra samtaler, hyppig opfølgning under "
            "praktikker, arbejdsmarkedsrettede oplæg og mentorstøtte. Flere kvinder har nu sat sig "
            "realistiske mål, men Odense er bekymret for, om arbejdsgiverne vil tage imod målgruppen."
        ),
        tags=("kvinder", "udsatte kvinder", "samtaleforløb", "motivation", "mentorstøtte"),
        contacts=(Contact("Anders Bundgaard", "Projektleder", "andbu@odense.dk", "+45 30 91 35 73"),),
    ),
    CatalogueEntry(
        municipality="730",
        theme=Theme.UPSKILLING,
        title="Beskæftigelsesrettet opkvalificering",
        summary=(
            "Randers, Syddjurs og Norddjurs Kommuner har et fælles projekt med målrettet og "
            "branchespecifik opkvalificering af de mest motiverede integrationsborgere: seks ugers "
            "uddannelse, seks ugers praktik og derefter op til seks ugers uddannelse tilrettelagt efter "
            "borgerens kompetencer og virksomhedens behov. Brancherne vælges ud fra "
            "arbejdsmarkedsbalancen, i dag især metal, buskørsel og servicearbejde, og på vej er bygge og "
            "anlæg samt landbrug. Borgerne søger selv om optagelse og screenes grundigt, bl.a. for "
            "fravær, og forløbet lukkes ved mere end to gange fravær. De første forløb i Randers ser ud "
            "til at føre en stor andel direkte i job."
        ),
        tags=("opkvalificering", "brancheuddannelse", "motivation", "Randers", "Syddjurs", "Norddjurs"),
        contacts=(Contact("Laila Jerming Graff", "Afdelingsleder", "ljg@randers.dk", "+45 21 19 06 91"),),
        partners=("706", "707"),
    ),
    CatalogueEntry(
        municipality="840",
        theme=Theme.ASYLUM_CENTRES,
        title="Samarbejdet med asylcentre",
        summary=(
            "Rebild Kommune vil give integrationsborgerne en aktiv start, fordi vejen til job tog for "
            "lang tid. Bor borgeren på et asylcenter tæt på Rebild, tager en medarbejder ud på besøg, og "
            "ved den første visitationssamtale deltager både sagsbehandleren og en medarbejder fra "
            "modtagelsesteamet, der fokuserer på relationen. Kommunen kontakter asylcentrene så hurtigt "
            "som muligt i stedet for at vente på LetAsyl-papirerne, hvis oplysninger ofte er "
            "overfladiske, og får dermed viden til den virksomhedsrettede indsats og mere trygge borgere. "
            "Målet er et videokonferencesetup, så der altid kan holdes samtaler, mens borgerne er på "
            "asylcentrene."
        ),
        tags=("asylcentre", "tidlig kontakt", "LetAsyl", "modtagelse", "visitationssamtale"),
        contacts=(Contact("Mathias Dahl Cramer", "Projektleder", "mdcr@rebild.dk", "+45 30 10 57 58"),),
    ),
    CatalogueEntry(
        municipality="779",
        theme=Theme.EDUCATION,
        title="10. Klasse",
        summary=(
            "Skive Kommune samarbejder med kommunens 10. klassecenter om, at 10–13 integrationsborgere om "
            "året kan gennemføre en 10. klasse på SU og dermed overgå til ordinær uddannelse. Forløbet er "
            "især for unge på typisk 18–24 år, der brænder mere for uddannelse end job, og som ellers "
            "kan blive overset i beskæftigelsessystemet. Jobcenteret betaler årselevtaksten og finansierer "
            "det med besparelser på sprogundervisning og dele af den statslige bonus ved overgang fra "
            "integrationsydelse til SU. Tre unge i sprogpraktik i 10. klasse har rykket sig meget sprogligt."
        ),
        tags=("10. klasse", "unge", "uddannelse", "SU", "sprog"),
        contacts=(Contact("Per Jeppesen", "Projektleder", "perj@skivekommune.dk", "+45 40 41 88 17"),),
    ),
    CatalogueEntry(
        municipality="479",
        theme=Theme.IGU,
        title="Integrationsgrunduddannelsen",
        summary=(
            "Svendborg Kommune har oprettet en særlig stilling som IGU-konsulent, så al viden om "
            "integrationsgrunduddannelsen er samlet hos én person, bl.a. fordi mange virksomheder "
            "forbinder IGU med bureaukrati og papirarbejde. IGU-konsulenten er en åben hotline for "
            "virksomhederne, varetager den håndholdte indsats for borgere i IGU og letter presset på "
            "virksomhedskonsulenterne. Kommunen har informeret bredt om IGU i lokale medier og satser på "
            "ordningen som vej til bæredygtig integration, selv om der endnu er få borgere i den."
        ),
        tags=("IGU", "integrationsgrunduddannelse", "IGU-konsulent", "én indgang", "hotline"),
        contacts=(Contact("Jonas Bæk", "Projektleder", "jonas.baek@svendborg.dk", "+45 24 99 57 16"),),
    ),
    CatalogueEntry(
        municipality="540",
        theme=Theme.SUPPORTED_JOBS,
        title="Individuelt Planlagt Job med Støtte",
        summary=(
            "Sønderborg Kommune har uddannet en række mentorer til IPS-mentorer. IPS er en "
            "beskæftigelsesrettet metode for mennesker med psykiske problematikker, hvor borgeren hurtigt "
            "placeres i job på det ordinære arbejdsmarked og derefter optrænes, i et sideløbende "
            "samarbejde med psykiatrien. Forløbene varer typisk ca. 52 uger og begynder med "
            "relationsopbygning og en karriereprofil, der synliggør borgerens ressourcer, også de "
            "uformelle kompetencer, med udgangspunkt i borgerens egne ønsker og drømme. Metoden er ny, "
            "men har allerede fået positiv feedback fra borgere og medarbejdere."
        ),
        tags=("IPS", "job med støtte", "psykisk sårbare", "aktivitetsparate", "mentorer"),
        contacts=(Contact("Michelle Festersen Spile", "Projektleder", "misp@sonderborg.dk", "+45 21 31 50 36"),),
    ),
    CatalogueEntry(
        municipality="820",
        theme=Theme.COMPANY_COOPERATION,
        title="Virksomhedsintegrationscentre",
        summary=(
            "Vesthimmerland Kommune lagde for en del år siden jobcenterets virksomhedsstrategi radikalt om "
            "og etablerede virksomhedscentre på lokale virksomheder, i dag 51, som varetager en stor del "
            "af virksomhedspraktikkerne på kontanthjælpsområdet. Nu indføres en lignende ordning på "
            "integrationsområdet med foreløbig fire integrationsvirksomhedscentre. Virksomhedernes "
            "medarbejdere uddannes løbende til mentorer, 350 indtil nu og op imod 50 om året, og i "
            "samarbejde med CABI uddannes også integrationsvirksomhedsmentorer. Det lokale erhvervsliv har "
            "en stærk social profil, og jobcenteret kårer hvert år årets mentor og årets virksomhed."
        ),
        tags=("virksomheder", "virksomhedscentre", "virksomhedspraktik", "mentorer", "løntilskud"),
        contacts=(
            Contact("Tom Sørensen", "Afdelingsleder", "tos@vesthimmerland.dk", "+45 23 60 70 52"),
            Contact("Mette Mølgaard Sørensen", "Projektleder", "mett@vesthimmerland.dk", "+45 30 46 38 17"),
        ),
    ),
)
