/// The whole HTML file: one page, its style and script inline, no URL anywhere (nothing is
/// fetched when it is viewed), the charts as inline SVG so they show without the script.
package struct ReportPage {
    package var title: String
    /// Lines under the title (what was run, the state hashes).
    package var subtitle: [String]
    package var sections: [Section]

    package init(title: String, subtitle: [String], sections: [Section]) {
        self.title = title; self.subtitle = subtitle; self.sections = sections
    }

    package var html: String {
        var s = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        s += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        s += "<title>\(SVG.escape(title))</title><style>\(Self.style)</style></head>\n<body>\n"
        s += "<header><h1>\(SVG.escape(title))</h1>" + subtitle.map { "<p class=\"sub\">\(SVG.escape($0))</p>" }.joined() + "</header>\n"
        s += "<nav>" + sections.map { "<a href=\"#\(SVG.escape($0.id))\">\(SVG.escape($0.title))</a>" }.joined(separator: " · ") + "</nav>\n<main>\n"
        for section in sections { s += section.html }
        s += "</main>\n<div id=\"tip\" hidden></div>\n<footer>Written by domino report. Hover a chart for values; click a legend entry to hide or show its series; scroll over a chart to zoom in time, double-click to reset.</footer>\n"
        s += "<script>\(Self.script)</script>\n</body></html>\n"
        return s
    }

    static let style = """
    :root{--fg:#1d232b;--mute:#5b6673;--bg:#fbfaf7;--card:#fff;--line:#e3e0d8}
    *{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
    header{padding:22px 32px 8px;max-width:1400px}h1{margin:0 0 4px;font-size:24px}.sub{margin:2px 0;color:var(--mute);font-size:13px}
    nav{padding:6px 32px 12px;font-size:12.5px;color:var(--mute)}nav a{color:#2f5d8a;text-decoration:none}
    main{padding:0 24px 24px;display:grid;grid-template-columns:repeat(auto-fit,minmax(700px,1fr));gap:18px;max-width:2000px}
    section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px}
    section#network,section#lossflow,section#scorecard,section#trace,section#timeline{grid-column:1/-1}
    h2{margin:0 0 2px;font-size:16px}h3{margin:8px 0 0;font-size:13px;color:var(--mute)}.explain{margin:0 0 8px;color:var(--mute);font-size:12.5px}
    svg{width:100%;height:auto;display:block;overflow:visible}
    .tick,.legendtext,.rowlabel,.barlabel,.cell{font-size:12px;fill:#3b4550}.axislabel{font-size:12px;fill:var(--mute)}
    .grid{stroke:#eeebe4}.axisline{stroke:#8a939c}.tickmark{stroke:#8a939c}
    .series{fill:none;stroke-width:2;stroke-linejoin:round}.dash{stroke-dasharray:5 3}.gap{stroke:none;opacity:.14}
    .legend{cursor:pointer}.legend.off{opacity:.35}.off-s{display:none}
    .marker{stroke-width:1.2;opacity:.8}.markerlabel{font-size:10.5px}
    .m-halt{stroke:#e08a00;fill:#e08a00}.m-default{stroke:#c0392b;fill:#c0392b}.m-insolvency{stroke:#7d3c98;fill:#7d3c98}.m-none{stroke:#555;fill:#555}
    .evdot.hollow{fill:#fff;stroke-width:2.2}.ev .evdot{stroke:inherit}.span{stroke:#b9b4aa;stroke-width:2}.span.r1{stroke-dasharray:4 3}
    .crosshair{stroke:#555;stroke-dasharray:3 3}
    .c0{stroke:#2f6db5;fill:#2f6db5}.c1{stroke:#e4572e;fill:#e4572e}.c2{stroke:#2a9d8f;fill:#2a9d8f}.c3{stroke:#d1495b;fill:#d1495b}.c4{stroke:#8e6c8a;fill:#8e6c8a}
    .c5{stroke:#e9a03b;fill:#e9a03b}.c6{stroke:#5b8e3e;fill:#5b8e3e}.c7{stroke:#6c757d;fill:#6c757d}.c8{stroke:#17becf;fill:#17becf}.c9{stroke:#9c6b30;fill:#9c6b30}
    .series.c0,.series.c1,.series.c2,.series.c3,.series.c4,.series.c5,.series.c6,.series.c7,.series.c8,.series.c9{fill:none}
    .swatch{stroke-width:0}.bar{stroke:none}.dot{stroke:#fff;stroke-width:1}.faint{opacity:.45}
    .edge{fill:none;opacity:.55}.edge.k0{stroke:#c0392b}.edge.k1{stroke:#2f6db5}.edge.k2{stroke:#2a9d8f}.arrowhead{fill:#555}
    .st0{fill:#5b8e3e}.st1{fill:#e08a00}.st2{fill:#7d3c98}.st3{fill:#c0392b}circle.st0,circle.st1,circle.st2,circle.st3{stroke:#fff;stroke-width:1.5;opacity:.9}
    .nodelabel{font-size:11.5px;font-weight:600;fill:#1d232b;paint-order:stroke;stroke:#fff;stroke-width:3px}.nodesub{font-size:9.5px;fill:#3b4550;paint-order:stroke;stroke:#fff;stroke-width:3px}.stamp{font-size:12px;fill:var(--mute)}
    .flow{fill:none;opacity:.35}.snode{stroke:none}
    .whisker{stroke:#7a838c;stroke-width:1.4}.scoredot{stroke:#fff;stroke-width:1.5}.pass{fill:#2e8b57}.gapr{fill:#e08a00}.fail{fill:#c0392b}
    .pct{stroke-width:2.5}.p95{stroke:#e08a00}.p99{stroke:#c0392b}
    .heat{stroke:none}.h0{fill:#f3efe6}.h1{fill:#f5d9b5}.h2{fill:#eeb07a}.h3{fill:#d9704a}.h4{fill:#a63a2a}.none{fill:#eee}.cell.dark{fill:#fff}
    .scrubber{display:flex;gap:10px;align-items:center;margin:6px 0 8px}.scrubber input{flex:1}.scrubber output{font-variant-numeric:tabular-nums;min-width:150px}
    .networks{display:flex;gap:16px;flex-wrap:wrap}.netcol{flex:1;min-width:520px}
    table{border-collapse:collapse;font-size:12px;width:100%;margin-top:6px}th,td{padding:3px 8px;border-bottom:1px solid var(--line);text-align:right}
    th:first-child,td:first-child,td.l{text-align:left}tr.st1 td:nth-child(2){color:#b06d00}tr.st2 td:nth-child(2){color:#7d3c98}tr.st3 td:nth-child(2){color:#c0392b}
    td.pass{color:#2e8b57;fill:none}td.gapr{color:#b06d00;fill:none}td.fail{color:#c0392b;fill:none}
    #tip{position:fixed;pointer-events:none;background:rgba(29,35,43,.92);color:#fff;font-size:12px;padding:6px 8px;border-radius:4px;white-space:pre;z-index:9}
    footer{padding:8px 32px 24px;color:var(--mute);font-size:12px}
    @media print{nav,.scrubber,footer{display:none}main{display:block}section{break-inside:avoid;margin-bottom:12px}}
    """

    static let script = """
    (function(){
    'use strict';
    var tip=document.getElementById('tip');
    function usd(v){var a=Math.abs(v),s=v<0?'-':'';function n(x){var t=Math.round(x*10)/10;return (t%1===0)?t.toFixed(0):t.toFixed(1);}
    if(a>=1e9)return s+'$'+n(a/1e9)+'B';if(a>=1e6)return s+'$'+n(a/1e6)+'M';if(a>=1e3)return s+'$'+n(a/1e3)+'k';return s+'$'+n(a);}
    function fmt(v,unit){if(v===null||v===undefined)return '—';if(unit==='USD')return usd(v);if(unit==='%')return v.toFixed(1)+'%';if(unit==='×')return v.toFixed(2)+'×';return Math.abs(v)<10?v.toFixed(3):v.toFixed(1);}
    function stamp(ms){return new Date(ms).toISOString().slice(0,16).replace('T',' ')+' UTC';}
    /* Legend toggles: hide or show every element of the series in its chart. */
    document.querySelectorAll('svg.chart').forEach(function(svg){
      svg.querySelectorAll('.legend[data-t]').forEach(function(g){
        g.addEventListener('click',function(){var k=g.getAttribute('data-t');var off=!g.classList.contains('off');g.classList.toggle('off',off);
          svg.querySelectorAll('[data-s="'+k+'"]').forEach(function(e){e.classList.toggle('off-s',off);});});
      });
    });
    /* Hover values and crosshair on the time-series charts; wheel zoom in time, double-click resets. */
    document.querySelectorAll('svg.chart.line').forEach(function(svg){
      var h=JSON.parse(svg.getAttribute('data-h')),unit=svg.getAttribute('data-unit');
      var x0=+svg.getAttribute('data-x0'),x1=+svg.getAttribute('data-x1'),t0=+svg.getAttribute('data-t0'),t1=+svg.getAttribute('data-t1');
      var vb=svg.viewBox.baseVal,full=[vb.x,vb.y,vb.width,vb.height],cross=svg.querySelector('.crosshair');
      function local(ev){var p=svg.createSVGPoint();p.x=ev.clientX;p.y=ev.clientY;return p.matrixTransform(svg.getScreenCTM().inverse());}
      svg.addEventListener('mousemove',function(ev){var p=local(ev);if(p.x<x0||p.x>x1){tip.hidden=true;cross.setAttribute('visibility','hidden');return;}
        var minutes=(t0+(p.x-x0)/(x1-x0)*(t1-t0)-t0)/60000,lines=[stamp(t0+minutes*60000)];
        h.v.forEach(function(vals,k){var ts=h.t[k];if(!ts.length)return;var best=0;for(var i=1;i<ts.length;i++){if(Math.abs(ts[i]-minutes)<Math.abs(ts[best]-minutes))best=i;}
          var lg=svg.querySelector('.legend[data-t="'+k+'"]');if(lg&&lg.classList.contains('off'))return;lines.push(h.n[k]+': '+fmt(vals[best],unit));});
        cross.setAttribute('x1',p.x);cross.setAttribute('x2',p.x);cross.setAttribute('visibility','visible');
        tip.textContent=lines.slice(0,14).join('\\n');tip.hidden=false;tip.style.left=(ev.clientX+14)+'px';tip.style.top=(ev.clientY+10)+'px';});
      svg.addEventListener('mouseleave',function(){tip.hidden=true;cross.setAttribute('visibility','hidden');});
      svg.addEventListener('wheel',function(ev){ev.preventDefault();var p=local(ev),f=ev.deltaY<0?0.8:1.25;var w=Math.min(full[2],Math.max(full[2]/16,vb.width*f));
        var x=Math.min(full[0]+full[2]-w,Math.max(full[0],p.x-(p.x-vb.x)*w/vb.width));svg.setAttribute('viewBox',x+' '+full[1]+' '+w+' '+full[3]);},{passive:false});
      svg.addEventListener('dblclick',function(){svg.setAttribute('viewBox',full.join(' '));});
    });
    /* The time scrubber: redraws the networks and the balance-sheet tables at the chosen moment. */
    var el=document.getElementById('scrub-data'),slider=document.getElementById('scrub');
    if(el&&slider){
      var d=JSON.parse(el.textContent),out=document.getElementById('scrub-time'),names=d.n,st=['running','halted','insolvent','defaulted'];
      var draw=function(i){
        out.textContent=stamp(d.t[i]);
        d.runs.forEach(function(run,k){
          var s=run.s[i],w=run.w[i],stampEl=document.getElementById('net'+k+'-stamp');if(stampEl)stampEl.textContent='at '+stamp(d.t[i]);
          names.forEach(function(name,n){var c=document.getElementById('net'+k+'-n'+n);if(!c)return;
            c.setAttribute('r',(6+30*Math.sqrt(Math.max(0,s[5*n])/Math.max(1,d.ma))).toFixed(1));c.setAttribute('class','st'+s[5*n+4]);});
          d.E.forEach(function(e,j){var p=document.getElementById('net'+k+'-e'+j);if(!p)return;var v=w[j];
            p.setAttribute('stroke-width',v>0?(1+13*Math.sqrt(v/Math.max(1,d.me))).toFixed(1):'0');p.setAttribute('visibility',v>0?'visible':'hidden');
            var t=p.querySelector('title');if(t)t.textContent=names[e[0]]+' → '+names[e[1]]+': '+['loan','deployment','pool position'][e[2]]+' '+usd(v*d.u);});
          var body=document.querySelector('#sheet'+k+' tbody');if(!body)return;var rows='';
          names.forEach(function(name,n){var esc=name.replace(/&/g,'&amp;').replace(/</g,'&lt;');
            rows+='<tr class="st'+s[5*n+4]+'"><td>'+esc+'</td><td>'+st[s[5*n+4]]+'</td>';for(var m=0;m<4;m++)rows+='<td>'+usd(s[5*n+m]*d.u)+'</td>';rows+='</tr>';});
          body.innerHTML=rows;});
      };
      slider.addEventListener('input',function(){draw(+slider.value);});
      var timer=null,play=document.getElementById('play');
      play.addEventListener('click',function(){if(timer){clearInterval(timer);timer=null;play.textContent='play';return;}
        if(+slider.value>=d.t.length-1)slider.value=0;play.textContent='pause';
        timer=setInterval(function(){var v=+slider.value+1;if(v>=d.t.length){clearInterval(timer);timer=null;play.textContent='play';return;}slider.value=v;draw(v);},80);});
      /* #t=2022-06-12 or #t=2022-06-12T08:00 (UTC) opens at that moment: the last snapshot at or before it. */
      var m=/[#&]t=([0-9T:-]+)/.exec(location.hash);
      if(m){var want=Date.parse(m[1].length<=10?m[1]+'T00:00:00Z':m[1]+':00Z'.slice(m[1].length>=19?3:0));
        if(!isNaN(want)){var i=0;while(i+1<d.t.length&&d.t[i+1]<=want)i++;slider.value=i;draw(i);}}
    }
    })();
    """
}
